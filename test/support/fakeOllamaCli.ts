// Runs a FakeOllama as its own process (for end-to-end runs):
//   node --import tsx test/support/fakeOllamaCli.ts [--port N]
// Prints {"port":N} on stdout once listening; stops on SIGINT/SIGTERM.
import { FakeOllama } from './fakeOllama';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : 0;
  if (!Number.isInteger(port) || port < 0) throw new Error(`invalid --port ${process.argv[i + 1]}`);
  const fake = new FakeOllama({ port });
  fake.generate = () => ({ tokens: [' return', ' a', ' +', ' b', ';'] }); // fixed completion
  await fake.start();
  process.stdout.write(JSON.stringify({ port: fake.port }) + '\n');
  const shutdown = () => void fake.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e) => {
  process.stderr.write(`fakeOllamaCli: ${(e as Error).message}\n`);
  process.exit(1);
});
