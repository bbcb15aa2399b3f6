// One replay process: replays every trace for one mode (all files at once, each with its own fake
// Ollama and engine) and sends the records to the parent. Run by run.ts with `fork`, so that the
// modes replay in parallel without sharing an event loop:
//   node --import tsx bench/replayChild.ts <spm|psm|naive|spm+context> <chars per file> <files> [afterEnter|beforeEnter]
import { loadPieces } from './oracle';
import { MODES, replay, type Mode } from './replay';
import { SOURCES } from './sources';
import { benchTraces, TRACE_KINDS, type TraceKind } from './trace';

async function main(): Promise<void> {
  const mode = process.argv[2] as Mode;
  const chars = Number(process.argv[3]);
  const files = Number(process.argv[4]);
  const kind = (process.argv[5] ?? 'afterEnter') as TraceKind;
  if (!MODES.includes(mode) || !(chars > 0) || !(files > 0) || !TRACE_KINDS.includes(kind)) {
    throw new Error(`bad arguments: ${process.argv.slice(2)}`);
  }
  const pieces = await loadPieces();
  const traces = benchTraces(SOURCES.slice(0, files), chars, kind);
  let opened = 0;
  let allOpened!: () => void;
  const typing = new Promise<void>((resolve) => { allOpened = resolve; });
  const beforeTyping = () => {
    if (++opened === traces.length) allOpened();
    return typing;
  };
  const results = await Promise.all(traces.map((trace) => replay(trace, mode, pieces, beforeTyping)));
  if (process.send) process.send(results, () => process.exit(0));
  else process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((err) => {
  process.stderr.write(`replay ${process.argv[2]}: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
