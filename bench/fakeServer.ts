// A fake Ollama in its own process for the memory benchmark, so the heap measured is the engine's
// alone: no latency, a short answer that differs with the prompt (so every completion is new), and
// its request log emptied as it goes.
//   node --import tsx bench/fakeServer.ts   → prints {"port":N}, stops on SIGTERM
import { createHash } from 'node:crypto';
import { FakeOllama } from '../test/support/fakeOllama';

async function main(): Promise<void> {
  const fake = new FakeOllama({ latency: { timeToFirstTokenMs: 0, perTokenMs: 0 } });
  let served = 0;
  fake.generate = (body) => {
    if (++served % 200 === 0) fake.reset();
    const n = createHash('md5').update(String(body.prompt ?? body.suffix ?? '')).digest().readUInt16BE(0);
    return { tokens: [` value_${n} = compute(${n % 97});`] }; // one piece: each piece waits a timer tick
  };
  await fake.start();
  process.stdout.write(JSON.stringify({ port: fake.port }) + '\n');
  const stop = () => void fake.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}

main().catch((err) => {
  process.stderr.write(`fakeServer: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
