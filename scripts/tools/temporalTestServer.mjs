// The Temporal time-skipping test server (io.temporal:temporal-test-server, part of the Java SDK),
// resolved from Maven Central and wrapped in a shell script that @temporalio/testing can launch:
//
//   TestWorkflowEnvironment.createTimeSkipping({
//     server: { executable: { type: 'existing-path', path: <the wrapper> } },
//   })
//
// Core (sdk-core, ephemeral_server) runs the executable as `<path> <port> [extraArgs...]`, pipes its
// stdout/stderr straight to the test process's, polls 127.0.0.1:<port> with a gRPC connect every
// 100 ms for a fixed 5 s (not configurable), and on teardown SIGKILLs only its direct child. So the
// wrapper `exec`s java (no orphaned JVM), and the build also records a class-data-sharing (CDS)
// archive of the server's classes so the JVM answers in ~0.3-0.5 s instead of ~1-1.5 s, which keeps it
// well inside that 5 s window on a busy 2-core machine.
//
// Plain Node ESM with no npm dependencies: it runs before `npm install` is guaranteed.
//
//   node scripts/tools/temporalTestServer.mjs <outDir>    build into <outDir>, print the wrapper path
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'temporal-test-server';
// Newest io.temporal:temporal-test-server on Maven Central when pinned; its classes are Java 8
// bytecode, so any JDK >= 8 runs it (this machine: OpenJDK 17).
export const version = '1.38.0';

const groupId = 'io.temporal';
const artifactId = 'temporal-test-server';
const mainClass = 'io.temporal.testserver.TestServer';
// Pinned rather than Maven 3.8's built-in default (2.8), which is old and slower to resolve.
const dependencyPlugin = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
// The server logs through SLF4J 1.7 but ships no binding, so every start would print a 3-line
// "Failed to load class org.slf4j.impl.StaticLoggerBinder" warning into the test output. A simple
// binding at WARN level keeps real problems visible and the rest quiet.
const slf4jVersion = '1.7.36';
// Small heap, serial GC, C1 only and no perf-data file: the test server is small and short-lived,
// and start-up time matters more than peak throughput.
const jvmFlags = [
  '-Xms64m',
  '-Xmx512m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:-UsePerfData',
  '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
  '-Dorg.slf4j.simpleLogger.logFile=System.err',
];

const wrapperName = name;
const markerName = '.built.json';
const cdsName = 'classes.jsa';

function javaCommand() {
  const home = process.env.JAVA_HOME;
  if (home && fs.existsSync(path.join(home, 'bin', 'java'))) return path.join(home, 'bin', 'java');
  return 'java';
}

function readMarker(outDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(outDir, markerName), 'utf8'));
  } catch {
    return null;
  }
}

/** True when the wrapper and every jar of this version are in place. */
export async function isBuilt(outDir) {
  const marker = readMarker(outDir);
  if (!marker || marker.name !== name || marker.version !== version || !Array.isArray(marker.jars)) return false;
  try {
    fs.accessSync(path.join(outDir, wrapperName), fs.constants.X_OK);
  } catch {
    return false;
  }
  return marker.jars.length > 0 && marker.jars.every((jar) => fs.existsSync(path.join(outDir, 'lib', jar)));
}

/** Resolves the server and its runtime dependencies into outDir/lib and returns the wrapper's path. */
export async function build({ outDir, log = (msg) => process.stderr.write(`${msg}\n`) }) {
  outDir = path.resolve(outDir);
  const wrapper = path.join(outDir, wrapperName);
  if (await isBuilt(outDir)) return wrapper;

  checkPrerequisites();
  fs.mkdirSync(outDir, { recursive: true });
  const started = Date.now();

  // 1. Resolve the jars with a throwaway pom (the artifact plus an SLF4J binding).
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-test-server-'));
  const staging = path.join(outDir, `lib.tmp-${process.pid}`);
  try {
    fs.writeFileSync(path.join(work, 'pom.xml'), pom());
    fs.rmSync(staging, { recursive: true, force: true });
    const args = [
      '-B',
      '-Dstyle.color=never',
      `${dependencyPlugin}:copy-dependencies`,
      '-DincludeScope=runtime',
      `-DoutputDirectory=${staging}`,
    ];
    log(`resolving ${groupId}:${artifactId}:${version} and its dependencies from Maven Central (mvn ${args.join(' ')})`);
    await runMaven(args, work, log);
    const jars = fs.readdirSync(staging).filter((f) => f.endsWith('.jar')).sort();
    if (!jars.includes(`${artifactId}-${version}.jar`)) {
      throw new Error(`mvn finished but ${artifactId}-${version}.jar is not in ${staging}`);
    }
    const bytes = jars.reduce((n, f) => n + fs.statSync(path.join(staging, f)).size, 0);
    log(`${jars.length} jars, ${(bytes / 1048576).toFixed(1)} MiB`);

    // 2. Swap the new jars in, then write the wrapper. The marker goes last: it means "complete".
    fs.rmSync(path.join(outDir, markerName), { force: true });
    fs.rmSync(path.join(outDir, cdsName), { force: true });
    fs.rmSync(path.join(outDir, 'lib'), { recursive: true, force: true });
    fs.renameSync(staging, path.join(outDir, 'lib'));
    fs.writeFileSync(wrapper, wrapperScript(), { mode: 0o755 });
    fs.chmodSync(wrapper, 0o755);

    // 3. Start the server once: proves it answers gRPC, and records the CDS archive (optional).
    await recordClassArchive(outDir, wrapper, log);

    fs.writeFileSync(
      path.join(outDir, markerName),
      `${JSON.stringify({ name, version, jars, builtAt: new Date().toISOString() }, null, 2)}\n`,
    );
    log(`built ${wrapper} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return wrapper;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function checkPrerequisites() {
  const missing = [];
  const java = javaCommand();
  const j = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (j.error || j.status !== 0) {
    missing.push(
      `\`${java}\` (a JDK or JRE, version 8 or newer) was not found: install one, e.g. ` +
        '`apt-get install openjdk-17-jre-headless` (or set JAVA_HOME)',
    );
  }
  const m = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (m.error || m.status !== 0) {
    missing.push('`mvn` (Apache Maven) was not found: install it, e.g. `apt-get install maven`');
  }
  if (missing.length) {
    throw new Error(
      `Cannot build the Temporal time-skipping test server (${groupId}:${artifactId}:${version}):\n` +
        missing.map((s) => `  - ${s}`).join('\n'),
    );
  }
}

function pom() {
  const dep = (g, a, v) =>
    `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by scripts/tools/temporalTestServer.mjs only to resolve the test server's jars. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.postforge.tools</groupId>
  <artifactId>temporal-test-server-classpath</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
${dep(groupId, artifactId, version)}
${dep('org.slf4j', 'slf4j-simple', slf4jVersion)}
  </dependencies>
</project>
`;
}

/** Runs mvn in cwd; reports download progress every few seconds through log; throws with the tail of its output. */
function runMaven(args, cwd, log) {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    let downloads = 0;
    let lastFile = '';
    let lastReport = Date.now();
    let pending = '';
    const onLine = (line) => {
      tail.push(line);
      if (tail.length > 60) tail.shift();
      const d = /Downloaded from [^:]+: (\S+)/.exec(line);
      if (d) {
        downloads += 1;
        lastFile = path.basename(d[1]);
      }
      if (/^\[ERROR\]/.test(line)) return;
      if (Date.now() - lastReport >= 3000 && downloads > 0) {
        lastReport = Date.now();
        log(`  maven: ${downloads} files downloaded so far (latest ${lastFile})`);
      }
    };
    const onData = (chunk) => {
      pending += chunk.toString('utf8');
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      lines.forEach(onLine);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending) onLine(pending);
      if (code === 0) {
        if (downloads > 0) log(`  maven: done, ${downloads} files downloaded into the local Maven repository`);
        resolve();
      } else {
        reject(
          new Error(
            `mvn ${args.join(' ')} failed with exit code ${code} (is Maven Central reachable? ` +
              `proxy settings go in ~/.m2/settings.xml). Last output:\n${tail.join('\n')}`,
          ),
        );
      }
    });
  });
}

function wrapperScript() {
  const flags = jvmFlags.join(' ');
  return `#!/bin/sh
# Generated by scripts/tools/temporalTestServer.mjs: ${groupId}:${artifactId}:${version}.
# Usage: ${wrapperName} <port> [--enable-time-skipping]
# @temporalio/testing (Core) runs it as \`<this> <port>\` and on teardown kills only this process,
# hence \`exec\`. classes.jsa, if present, is a class-data-sharing archive recorded at build time
# for a faster start; the JVM ignores it (silently) if the JDK or the jars have changed since.
dir=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P) || exit 1
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
if [ -f "$dir/${cdsName}" ] && [ -z "$TEMPORAL_TEST_SERVER_NO_CDS" ]; then
  exec "$java" ${flags} -XX:SharedArchiveFile="$dir/${cdsName}" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off \\
    -cp "$dir/lib/*" ${mainClass} "$@"
fi
exec "$java" ${flags} -cp "$dir/lib/*" ${mainClass} "$@"
`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** One unary gRPC call over h2c, with no dependencies: GetSystemInfo with an empty request. */
function grpcSystemInfo(port) {
  return new Promise((resolve) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const done = (ok) => {
      session.destroy();
      resolve(ok);
    };
    session.on('error', () => done(false));
    session.setTimeout(2000, () => done(false));
    const req = session.request({
      ':method': 'POST',
      ':path': '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let status = null;
    req.on('response', (headers) => {
      if (headers['grpc-status'] !== undefined) status = String(headers['grpc-status']);
    });
    req.on('trailers', (trailers) => {
      status = String(trailers['grpc-status']);
    });
    req.on('data', () => {});
    req.on('end', () => done(status === '0'));
    req.on('error', () => done(false));
    req.end(Buffer.from([0, 0, 0, 0, 0])); // uncompressed, zero-length message
  });
}

/**
 * Starts the server through the wrapper, waits for a successful gRPC call, and stops it with
 * SIGTERM, so the JVM writes the classes it loaded to a CDS archive on exit. Best effort: without
 * the archive the wrapper still works, only slower to start. Throws if the server never answers.
 */
async function recordClassArchive(outDir, wrapper, log) {
  const archive = path.join(outDir, cdsName);
  const tmpArchive = `${archive}.tmp-${process.pid}`;
  const port = await freePort();
  const started = Date.now();
  const output = [];
  const child = spawn(wrapper, [String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Picked up by the JVM itself; the wrapper takes its no-archive branch since none exists yet.
    env: { ...process.env, JAVA_TOOL_OPTIONS: `-XX:ArchiveClassesAtExit=${tmpArchive} -Xlog:cds=off -Xlog:cds+dynamic=off` },
  });
  child.stdout.on('data', (c) => output.push(c));
  child.stderr.on('data', (c) => output.push(c));
  let exited = false;
  const exit = new Promise((resolve) => child.on('close', (code, signal) => ((exited = true), resolve({ code, signal }))));
  try {
    let ok = false;
    while (!ok && !exited && Date.now() - started < 60_000) {
      await new Promise((r) => setTimeout(r, 100));
      ok = await grpcSystemInfo(port);
    }
    if (!ok) {
      throw new Error(
        `the test server did not answer on port ${port} within 60 s` +
          `${exited ? ' (it exited)' : ''}. Its output:\n${Buffer.concat(output).toString('utf8').slice(-4000)}`,
      );
    }
    log(`test server answered gRPC ${Date.now() - started} ms after launch (no class archive yet)`);
  } finally {
    if (!exited) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exit;
    clearTimeout(timer);
  }
  if (fs.existsSync(tmpArchive) && fs.statSync(tmpArchive).size > 0) {
    fs.renameSync(tmpArchive, archive);
    const warm = await timeStart(wrapper);
    log(`recorded class archive ${cdsName}; with it the server answers in ${warm} ms`);
  } else {
    fs.rmSync(tmpArchive, { force: true });
    log('note: the JVM wrote no class-data-sharing archive; the server will start without one (slower)');
  }
}

/** Milliseconds from launch to the first successful gRPC call, or throws. */
async function timeStart(wrapper) {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(wrapper, [String(port)], { stdio: 'ignore' });
  try {
    while (Date.now() - started < 30_000) {
      await new Promise((r) => setTimeout(r, 50));
      if (await grpcSystemInfo(port)) return Date.now() - started;
    }
    throw new Error(`the test server did not answer on port ${port} within 30 s`);
  } finally {
    child.kill('SIGKILL');
  }
}

if (import.meta.url === `file://${process.argv[1]}` || fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2];
  if (!outDir) {
    process.stderr.write('usage: node scripts/tools/temporalTestServer.mjs <outDir>\n');
    process.exit(2);
  }
  build({ outDir, log: (msg) => process.stderr.write(`[${name}] ${msg}\n`) }).then(
    (p) => process.stdout.write(`${p}\n`),
    (err) => {
      process.stderr.write(`[${name}] ${err.message}\n`);
      process.exit(1);
    },
  );
}
