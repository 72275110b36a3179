// Lints one snippet as if it were a file of the project, with the project's ESLint config, and prints
// the messages as JSON. A child process, because ESLint loads its config with a dynamic import that
// jest's sandbox refuses. Input on stdin: [{"filePath": "...", "code": "..."}, …]; one answer each.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const input = JSON.parse(
  await new Promise((resolve) => {
    let text = '';
    process.stdin.on('data', (d) => (text += d)).on('end', () => resolve(text));
  }),
);
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['workflows/*.ts', 'services/*.ts', 'core/*.ts', 'worker/*.ts', 'bots/*.ts'] } },
    },
  },
});
const answers = [];
for (const probe of input) {
  const [result] = await eslint.lintText(probe.code, { filePath: path.join(root, probe.filePath) });
  answers.push((result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`));
}
process.stdout.write(JSON.stringify(answers));
