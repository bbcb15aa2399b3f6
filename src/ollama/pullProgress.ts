// Turns /api/pull progress lines (one per layer digest) into one overall percentage.

export interface PullLine {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}

export interface PullState {
  readonly status: string;
  readonly completedBytes: number;
  readonly totalBytes: number;
  /** 0–100, never going backwards. */
  readonly percent: number;
  readonly success: boolean;
}

export class PullProgress {
  private readonly layers = new Map<string, { total: number; completed: number }>();
  private lastPercent = 0;
  private status = 'starting';
  private success = false;

  update(line: PullLine): PullState {
    this.status = line.status;
    if (line.digest && typeof line.total === 'number' && line.total > 0) {
      this.layers.set(line.digest, { total: line.total, completed: Math.min(line.total, line.completed ?? 0) });
    }
    if (line.status === 'success') this.success = true;
    return this.state();
  }

  state(): PullState {
    let total = 0;
    let completed = 0;
    for (const layer of this.layers.values()) {
      total += layer.total;
      completed += layer.completed;
    }
    const percent = this.success ? 100 : total > 0 ? Math.floor((completed / total) * 100) : 0;
    this.lastPercent = Math.max(this.lastPercent, percent);
    return { status: this.status, completedBytes: completed, totalBytes: total, percent: this.lastPercent, success: this.success };
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  // Compare the value as it will be printed, so 999,999 bytes reads "1.0 MB", not "1000.0 KB".
  while (Number(value.toFixed(unit === 0 ? 0 : 1)) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
