import WebSocket from 'ws';

/** A small protocol client for tests and the load bench: requests matched to replies by id. */
export interface Reply {
  readonly type: string;
  readonly re?: string | number;
  readonly code?: string;
  readonly message?: string;
  readonly [key: string]: unknown;
}

export class TestClient {
  private nextId = 1;
  private readonly waiting = new Map<string | number, (r: Reply) => void>();
  private readonly inbox: Reply[] = [];
  private readonly listeners: ((r: Reply) => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const r = JSON.parse(data.toString()) as Reply;
      const cb = r.re !== undefined ? this.waiting.get(r.re) : undefined;
      if (cb) {
        this.waiting.delete(r.re!);
        cb(r);
        return;
      }
      const l = this.listeners.shift();
      if (l) l(r);
      else this.inbox.push(r);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new TestClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  /** Sends a message with a fresh id and resolves with the reply carrying it. */
  request(msg: Record<string, unknown>): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ ...msg, id }));
    });
  }

  /** Sends raw text or bytes (no id): the reply arrives as the next unmatched message. */
  sendRaw(data: string | Buffer, binary = false): Promise<Reply> {
    const p = this.next();
    this.ws.send(data, { binary });
    return p;
  }

  /** The next message not matched to a request (errors without id, pushes). */
  next(): Promise<Reply> {
    const r = this.inbox.shift();
    if (r) return Promise.resolve(r);
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}
