// What the numbers were measured on: the machine and every version that could change them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tools } from './tools';

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  temporal: string;
  temporalSdk: string;
  ferretdb: string;
  redis: string;
  bullmq: string;
  date: string;
}

function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout.split('\n')[0] ?? '').trim() : 'not installed';
}

function stamp(bin: string): string {
  try {
    return fs.readFileSync(`${bin}.version`, 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

function pkgVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(require.resolve(`${name}/package.json`)), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export function describeMachine(): Machine {
  let osName = `${os.type()} ${os.release()}`;
  try {
    const pretty = /PRETTY_NAME="([^"]+)"/.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) osName = `${pretty}, kernel ${os.release()}`;
  } catch {
    // Not Linux: the kernel name and release will do.
  }
  const temporalBin = tools.temporal();
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osName,
    node: process.version,
    temporal: `CLI ${stamp(temporalBin)} (${firstLine(temporalBin, ['--version']).replace(/^temporal version \S+ /, '')})`,
    temporalSdk: pkgVersion('@temporalio/worker'),
    ferretdb: stamp(tools.ferretdb()).replace(/-[0-9a-f]+$/, ''),
    redis: firstLine('redis-server', ['--version']).replace(/^Redis server /, ''),
    bullmq: pkgVersion('bullmq'),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}
