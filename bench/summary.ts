// Figures of the trace replay for one mode (all files together), from the records of replay.ts.

import type { ReplayResult } from './replay';
import { median, percentile, sum } from './stats';

export interface TraceSummary {
  readonly files: number;
  readonly keystrokes: number;
  readonly typedChars: number;
  readonly pauses: number;
  readonly pausesPer100: number;
  readonly replayMs: number;
  readonly requests: number;
  readonly requestsPer100: number;
  readonly superseded: number;
  readonly supersededAbortedBeforeHeaders: number;
  readonly supersededAbortedStreaming: number;
  /** Superseded requests that ran until their answer was complete. */
  readonly supersededNotAborted: number;
  readonly typingThroughKeys: number;
  readonly requestsDuringTypingThrough: number;
  readonly tokensStreamed: number;
  readonly tokensDiscarded: number;
  /** Tokens of what the requests showed correctly (the GPU work a user could accept). */
  readonly tokensShownCorrect: number;
  /** Requests to anything but /api/generate while the server was healthy. */
  readonly otherRequests: number;
  readonly keysWithCorrectSuggestion: number;
  readonly keysWithWrongSuggestion: number;
  readonly charsAccepted: number;
  /** Enter → suggestion visible, at line-end pauses where the file goes on (missing = none shown before the next key). */
  readonly lineEndLatencyP50: number;
  readonly lineEndLatencyP90: number;
  readonly lineEndSamples: number;
  readonly lineEndMissing: number;
  /** The same, at line ends not served from the cache (a request had to be made or joined). */
  readonly lineEndColdP50: number;
  readonly lineEndColdSamples: number;
  /** Prompt tokens the server had to evaluate per request (the first evaluated request of each file, cold, left out). */
  readonly promptEvalMedian: number;
  readonly promptEvalP90: number;
  readonly promptEvalSamples: number;
  /** Tokens typed since the previous evaluated request, and the per-request ratio evaluated / typed. */
  readonly typedTokensMedian: number;
  readonly evalPerTypedTokenMedian: number;
  readonly timerLateP99: number;
  readonly unplaced: number;
}

export function summarize(results: readonly ReplayResult[]): TraceSummary {
  const calls = results.flatMap((r) => r.calls);
  const requests = results.flatMap((r) => r.requests);
  const typedChars = sum(results.map((r) => r.typedChars));
  const pauses = sum(results.map((r) => r.pauses));
  const superseded = requests.filter((r) => r.outcome === 'superseded');
  const abortedBy = (phase: string) => superseded.filter((r) => r.clientDisconnected && r.disconnectPhase === phase &&
    r.abortReason !== 'stream closed').length;

  let typingThroughKeys = 0;
  let requestsDuringTypingThrough = 0;
  const latencies: number[] = [];
  const coldLatencies: number[] = [];
  for (const r of results) {
    r.calls.forEach((call, i) => {
      const before = r.calls[i - 1];
      // The user types what the visible suggestion shows and some of it is still left: typing through
      // it. The key that types its last character ends it (at a line end, a request for what
      // follows may then go out).
      if (before?.visible && before.correct && call.kind !== 'backspace' && call.text !== '' &&
        before.suggestion!.startsWith(call.text) && before.suggestion!.length > call.text.length) {
        typingThroughKeys++;
        requestsDuringTypingThrough += call.requests.length;
      }
      if (call.pauseAfter === 'line' && call.onTrack && call.expected.trim() !== '') {
        const latency = call.visible ? call.resolvedAt! - call.at : Infinity;
        latencies.push(latency);
        if (call.cacheHitRequest === undefined) coldLatencies.push(latency);
      }
    });
  }
  // The first evaluated request of each file finds the server's prompt cache cold: left out.
  const warm = results.flatMap((r) => r.requests.filter((q) => q.promptEvalCount !== undefined).slice(1));
  const evals = warm.map((r) => r.promptEvalCount).filter((n): n is number => n !== undefined);
  const perTyped = warm.filter((r) => r.promptEvalCount !== undefined && r.typedTokens)
    .map((r) => r.promptEvalCount! / r.typedTokens!);
  return {
    files: results.length,
    keystrokes: calls.length,
    typedChars,
    pauses,
    pausesPer100: (100 * pauses) / typedChars,
    replayMs: Math.max(...results.map((r) => r.durationMs)),
    requests: requests.length,
    requestsPer100: (100 * requests.length) / typedChars,
    superseded: superseded.length,
    supersededAbortedBeforeHeaders: abortedBy('beforeHeaders'),
    supersededAbortedStreaming: abortedBy('streaming'),
    supersededNotAborted: superseded.length - abortedBy('beforeHeaders') - abortedBy('streaming'),
    typingThroughKeys,
    requestsDuringTypingThrough,
    tokensStreamed: sum(requests.map((r) => r.tokensSent)),
    tokensDiscarded: sum(superseded.map((r) => r.tokensSent)),
    tokensShownCorrect: sum(requests.map((r) => r.shownCorrectTokens)),
    otherRequests: sum(results.map((r) => r.otherRequests)),
    keysWithCorrectSuggestion: calls.filter((c) => c.visible && c.correct).length,
    keysWithWrongSuggestion: calls.filter((c) => c.visible && !c.correct).length,
    charsAccepted: sum(results.map((r) => r.charsAccepted)),
    lineEndLatencyP50: percentile(latencies, 50),
    lineEndLatencyP90: percentile(latencies, 90),
    lineEndSamples: latencies.length,
    lineEndMissing: latencies.filter((l) => !Number.isFinite(l)).length,
    lineEndColdP50: percentile(coldLatencies, 50),
    lineEndColdSamples: coldLatencies.length,
    promptEvalMedian: median(evals),
    promptEvalP90: percentile(evals, 90),
    promptEvalSamples: evals.length,
    typedTokensMedian: median(warm.map((r) => r.typedTokens ?? NaN).filter((n) => !Number.isNaN(n))),
    evalPerTypedTokenMedian: median(perTyped),
    timerLateP99: percentile(calls.map((c) => c.lateMs), 99),
    unplaced: sum(results.map((r) => r.unplaced)),
  };
}
