// Starts the GitHub double on its own:
//   npx tsx test/support/github-double/cli.ts --bare <path> [--port N] [--owner O] [--repo R]
import { parseArgs } from 'node:util';
import { startGitHubDouble } from './index.ts';

const usage = 'usage: tsx test/support/github-double/cli.ts --bare <bare-repo-path> [--port N] [--owner acme] [--repo shop]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bare: { type: 'string' },
      port: { type: 'string' },
      owner: { type: 'string' },
      repo: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.bare) {
    process.stderr.write(`${usage}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`invalid --port ${values.port}\n${usage}\n`);
    process.exit(2);
  }
  const double = await startGitHubDouble({
    bareRepoPath: values.bare,
    port,
    ...(values.owner ? { owner: values.owner } : {}),
    ...(values.repo ? { repo: values.repo } : {}),
  });
  process.stdout.write(`${double.url}\n`);
  process.stderr.write(`GitHub double for ${double.owner}/${double.repo} listening; GITHUB_API_URL=${double.url} (Ctrl-C to stop)\n`);
  const stop = () => {
    double.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
