// What the demo server has served, for tests and benchmarks that assert on upstream cost
// ("one poller for any number of viewers"): counts per endpoint, 429s, and a bounded log of recent
// requests. The /demo/ control surface itself is not counted.

export interface RequestLogEntry {
  /** 1, 2, 3…: the request's place in the log since the server started (never reset). */
  seq: number;
  method: string;
  /** The raw request target, query string included, exactly as received. */
  path: string;
  /** HTTP status, or 0 when the connection was dropped without an answer. */
  status: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
}

export class RequestStats {
  total = 0;
  rateLimited = 0;
  byEndpoint: Record<string, number> = {};
  byStatus: Record<string, number> = {};
  since = new Date().toISOString();
  private readonly log: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly logSize = 1000) {}

  /** `endpoint` is "METHOD /route/template", e.g. "GET /api/v1/users/{user_id_or_email}/presence". */
  record(endpoint: string, fields: Omit<RequestLogEntry, 'seq'>): void {
    const entry: RequestLogEntry = { seq: ++this.seq, ...fields };
    this.total++;
    if (entry.status === 429) this.rateLimited++;
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
    const status = String(entry.status);
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    this.log.push(entry);
    if (this.log.length > this.logSize) this.log.splice(0, this.log.length - this.logSize);
  }

  reset(): void {
    this.total = 0;
    this.rateLimited = 0;
    this.byEndpoint = {};
    this.byStatus = {};
    this.since = new Date().toISOString();
    this.log.length = 0;
  }

  snapshot(): Record<string, unknown> {
    return { total: this.total, rateLimited: this.rateLimited, byEndpoint: { ...this.byEndpoint }, byStatus: { ...this.byStatus }, since: this.since };
  }

  /** The most recent `limit` entries, oldest first. */
  recent(limit: number): RequestLogEntry[] {
    return this.log.slice(Math.max(0, this.log.length - limit));
  }

  /** Every kept entry with a sequence number above `seq`, oldest first. */
  after(seq: number): RequestLogEntry[] {
    return this.log.filter((e) => e.seq > seq);
  }

  /** Whether the entry numbered `seq` (or a later one, if none was made yet) is still kept. */
  keeps(seq: number): boolean {
    const first = this.log[0];
    return seq > this.seq || (first !== undefined && first.seq <= seq);
  }

  get lastSeq(): number {
    return this.seq;
  }

  get capacity(): number {
    return this.logSize;
  }
}
