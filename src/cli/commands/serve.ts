import type { Command } from '../command.js';
import { booleanFlag, intFlag, parseCommandArgs, stringFlag } from '../args.js';
import { ParseError } from '../../core/index.js';
import { defaultLimits, startServer } from '../../server/index.js';
import type { Limits } from '../../server/index.js';

const USAGE = 'arbor serve [--host H] [--port P] [--token T] [--models DIR] [limits...] [--json]';

/** Limit flags: flag name -> (Limits field, meaning). */
const limitFlags: readonly (readonly [string, keyof Limits, string])[] = [
  ['max-message-bytes', 'maxMessageBytes', 'largest accepted message in bytes'],
  ['max-games-per-connection', 'maxGamesPerConnection', 'games one connection may hold'],
  ['max-games', 'maxGames', 'games alive on the server'],
  ['max-connections', 'maxConnections', 'open WebSocket connections'],
  ['max-sims', 'maxSimulations', 'simulations per bot move'],
  ['max-time-ms', 'maxTimeMs', 'thinking time per bot move, ms'],
  ['idle-timeout-ms', 'idleTimeoutMs', 'close a connection silent this long'],
  ['ping-interval-ms', 'pingIntervalMs', 'WebSocket ping period (a missed pong drops the peer)'],
  ['game-ttl-ms', 'detachedGameTtlMs', 'keep a game no one holds this long (rejoin by id)'],
  ['rate', 'messagesPerSecond', 'messages per second per connection (bursts of 2x)'],
];

const help = `${USAGE}

Serves the bot API and the play page on one port:
  GET /          the page: play tic-tac-toe or Connect Four against the bot, with its analysis
  GET /health    JSON: status, connections, games, memory, event-loop delay, limits
  /ws            the WebSocket API (JSON messages; see docs/protocol.md)
Stops cleanly on SIGINT/SIGTERM: bot moves in flight are abandoned (ABORTED replies), sockets
close with code 1001, exit code 0.

Options:
  --host H        interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --port P        port (default 8080; 0 picks a free one)
  --token T       require this token from WebSocket clients (Authorization: Bearer T, or
                  ?token=T; the page passes its own ?token= along). Default: $ARBOR_TOKEN if set
  --models DIR    folder of named models for az bots (az:model=NAME)
  --allow-origin O  allow browser pages from origin O (repeatable; '*' for any). By default only
                  the page served here (and non-browser clients) may connect
  --seed S        seed for the bots' random choices (default: random)
  --json          log as JSON lines; the first is {"event":"listening","url",...}
  -h, --help      show this help

Limits (defaults in brackets):
${limitFlags.map(([flag, key, what]) => `  --${flag.padEnd(26)}${what} [${defaultLimits[key]}]`).join('\n')}

Examples:
  arbor serve
  arbor serve --port 9000 --token hunter2 --max-sims 5000
  arbor serve --host 0.0.0.0 --port 0 --json`;

export const command: Command = {
  name: 'serve',
  summary: 'the bot API (WebSocket, JSON) and a web page to play against the bot',
  help,
  async run(argv) {
    const args = parseCommandArgs(
      'serve',
      argv,
      {
        host: { type: 'string' },
        port: { type: 'string' },
        token: { type: 'string' },
        models: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        ...Object.fromEntries(limitFlags.map(([flag]) => [flag, { type: 'string' as const }])),
      },
      { min: 0, max: 0, usage: USAGE },
    );
    const json = booleanFlag(args, 'json');
    const limits: Partial<Record<keyof Limits, number>> = {};
    for (const [flag, key] of limitFlags) {
      const v = intFlag(args, flag, { min: key === 'detachedGameTtlMs' ? 0 : 1 });
      if (v !== undefined) limits[key] = v;
    }
    if (limits.maxMessageBytes !== undefined && limits.maxMessageBytes > 1 << 20) {
      throw new ParseError('BAD_ARGUMENT', `--max-message-bytes must be at most ${1 << 20}; got ${limits.maxMessageBytes}`);
    }
    const origins = (args.values['allow-origin'] as string[] | undefined) ?? [];
    const seed = intFlag(args, 'seed', { min: 0, max: 0x7fffffff });
    const token = stringFlag(args, 'token') ?? process.env['ARBOR_TOKEN'] ?? null;
    const log = (event: string, fields: Record<string, unknown>, text: string): void => {
      if (json) console.log(JSON.stringify({ event, time: new Date().toISOString(), ...fields }));
      else console.error(text);
    };

    const server = await startServer({
      host: stringFlag(args, 'host') ?? '127.0.0.1',
      port: intFlag(args, 'port', { min: 0, max: 65535, default: 8080 }),
      token: token === '' ? null : token,
      limits,
      modelsDir: stringFlag(args, 'models') ?? null,
      allowedOrigins: origins.includes('*') ? '*' : origins,
      ...(seed === undefined ? {} : { seed }),
      log: (line) => log('log', { message: line }, line),
    });
    log(
      'listening',
      { url: server.url, wsUrl: server.wsUrl, port: server.port, auth: token !== null && token !== '' },
      `arbor serve: play at ${server.url}/  (API ${server.wsUrl}, health ${server.url}/health${token ? ', token required' : ''}); Ctrl-C stops`,
    );

    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        const h = server.health();
        log('stopping', { signal, connections: h.connections, games: h.games }, `arbor serve: ${signal}: stopping (${h.connections} connections, ${h.games} games)`);
        server.close().then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    log('stopped', {}, 'arbor serve: stopped');
    return 0;
  },
};
