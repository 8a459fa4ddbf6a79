// Arbor's play page: a plain ES module, no build step. It speaks the protocol in docs/protocol.md.

const $ = (id) => document.getElementById(id);
const el = {
  setup: $('setup'), game: $('game'), strength: $('strength'), first: $('first'),
  undo: $('undo'), hint: $('hint'), resign: $('resign'), newGame: $('new-game'),
  status: $('status'), board: $('board'), result: $('result'),
  valueBar: $('value-bar'), valueFill: $('value-fill'), valueText: $('value-text'),
  summary: $('analysis-summary'),
};

const ui = {
  ws: null,
  nextId: 1,
  pending: new Map(),
  games: [],
  /** The GameView of the current game (see docs/protocol.md). */
  view: null,
  /** The analysis drawn on the board, and whose move it was about. */
  analysis: null,
  busy: false,
  retries: 0,
};

// ---- connection ----

function connect() {
  const token = new URLSearchParams(location.search).get('token');
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const ws = new WebSocket(url);
  ui.ws = ws;
  ws.addEventListener('open', async () => {
    ui.retries = 0;
    const hello = await request({ type: 'hello' });
    if (ui.view) {
      // Reconnected: take the game back by its id (the server keeps it for a while).
      const joined = await request({ type: 'join', gameId: ui.view.gameId });
      if (joined.type === 'game') {
        ui.view = joined.game;
        render();
        if (ui.view.turn === 'bot' && ui.view.status === 'playing') await botMove();
        return;
      }
      ui.view = null;
    }
    ui.games = hello.games;
    el.game.replaceChildren(...hello.games.map((g) => new Option(g.displayName, g.name)));
    // Trained networks the server offers (arbor serve --models DIR).
    for (const m of hello.models ?? []) if (!el.strength.querySelector(`option[value="az:model=${CSS.escape(m.name)},sims=400"]`)) el.strength.append(new Option(`Network ${m.name}${m.game ? ` (${m.game})` : ''} — 400 sims`, `az:model=${m.name},sims=400`));
    setStatus('Choose a game and press “New game”.');
    el.newGame.disabled = false;
    await newGame();
  });
  ws.addEventListener('message', (ev) => {
    const msg = JSON.parse(ev.data);
    const done = msg.re !== undefined ? ui.pending.get(msg.re) : undefined;
    if (done) {
      ui.pending.delete(msg.re);
      done(msg);
    } else if (msg.type === 'update' && ui.view && msg.game.gameId === ui.view.gameId) {
      ui.view = msg.game;
      render();
    } else if (msg.type === 'error') {
      setStatus(`Server: ${msg.message}`);
    }
  });
  ws.addEventListener('close', (ev) => {
    for (const done of ui.pending.values()) done({ type: 'error', code: 'DISCONNECTED', message: 'connection closed' });
    ui.pending.clear();
    setButtons(false);
    el.newGame.disabled = true;
    // Idle timeouts and network blips: reconnect a few times and rejoin the game. A server that
    // is shutting down (1001) or refuses us is not retried.
    if (ev.code !== 1001 && ev.code !== 1008 && ui.retries < 5) {
      ui.retries++;
      setStatus(`Connection lost (${ev.code}); reconnecting…`);
      setTimeout(connect, 1000 * ui.retries);
      return;
    }
    setStatus(`Disconnected from the server (${ev.code}${ev.reason ? `: ${ev.reason}` : ''}). Reload the page to reconnect.`);
  });
}

function request(msg) {
  const id = ui.nextId++;
  return new Promise((resolve) => {
    ui.pending.set(id, resolve);
    ui.ws.send(JSON.stringify({ ...msg, id }));
  });
}

/** Sends a request; an error reply is shown and turned into null. */
async function call(msg) {
  const reply = await request(msg);
  if (reply.type === 'error') {
    setStatus(`${reply.message} (${reply.code})`);
    return null;
  }
  return reply;
}

// ---- actions ----

async function newGame() {
  if (ui.busy) return;
  if (ui.view) await request({ type: 'close', gameId: ui.view.gameId });
  ui.view = null;
  ui.analysis = null;
  const reply = await call({ type: 'create', game: el.game.value, bot: el.strength.value, first: el.first.value });
  if (!reply) return;
  ui.view = reply.game;
  render();
  if (ui.view.turn === 'bot') await botMove();
}

async function play(action) {
  const v = ui.view;
  if (!v || ui.busy || v.turn !== 'human' || !v.legal.includes(action)) return;
  const reply = await withBusy(() => call({ type: 'play', gameId: v.gameId, move: action }));
  if (!reply) return;
  ui.view = reply.game;
  ui.analysis = null;
  render();
  if (ui.view.turn === 'bot') await botMove();
}

async function botMove() {
  const v = ui.view;
  setStatus('The bot is thinking…');
  const reply = await withBusy(() => call({ type: 'bot_move', gameId: v.gameId }));
  if (!reply) return;
  ui.view = reply.game;
  ui.analysis = { ...reply.analysis, by: 'bot', chosen: reply.move.action };
  render();
}

async function hint() {
  const v = ui.view;
  if (!v || ui.busy || v.turn !== 'human') return;
  setStatus('The bot is analysing your position…');
  const reply = await withBusy(() => call({ type: 'bot_move', gameId: v.gameId, play: false }));
  if (!reply) return;
  ui.view = reply.game;
  ui.analysis = { ...reply.analysis, by: 'hint', chosen: reply.move.action };
  render();
}

async function undo() {
  const v = ui.view;
  if (!v || ui.busy) return;
  const reply = await withBusy(() => call({ type: 'undo', gameId: v.gameId }));
  if (!reply) return;
  ui.view = reply.game;
  ui.analysis = null;
  render();
}

async function resign() {
  const v = ui.view;
  if (!v || ui.busy || v.status !== 'playing') return;
  const reply = await withBusy(() => call({ type: 'resign', gameId: v.gameId }));
  if (!reply) return;
  ui.view = reply.game;
  render();
}

async function withBusy(fn) {
  ui.busy = true;
  setButtons(false);
  try {
    return await fn();
  } finally {
    ui.busy = false;
    render();
  }
}

// ---- drawing ----

function setStatus(text) {
  el.status.textContent = text;
}

function setButtons(enabled) {
  const v = ui.view;
  const playing = enabled && v && v.status === 'playing';
  el.undo.disabled = !(enabled && v && v.moves.some((m) => m.by === 'human') && v.result?.reason !== 'resign');
  el.hint.disabled = !(playing && v.turn === 'human');
  el.resign.disabled = !playing;
  el.newGame.disabled = !enabled && ui.busy;
}

const pct = (x) => `${Math.round(x * 100)}%`;

/** Cell contents from the move list: who played where (player 0 moves first in both games). */
function occupancy(v, info) {
  const cells = new Array(info.rows * info.cols).fill(-1);
  const order = new Array(info.rows * info.cols).fill(-1);
  v.moves.forEach((m, i) => {
    const player = i % 2;
    let cell = m.action;
    if (v.game === 'connect4') {
      // Drop into the lowest empty row of the column (row 0 is the top).
      let r = info.rows - 1;
      while (r >= 0 && cells[r * info.cols + m.action] !== -1) r--;
      cell = r * info.cols + m.action;
    }
    cells[cell] = player;
    order[cell] = i;
  });
  return { cells, order };
}

function render() {
  const v = ui.view;
  if (!v) return;
  const info = ui.games.find((g) => g.name === v.game);
  const { cells, order } = occupancy(v, info);
  const lastIndex = v.moves.length - 1;
  const byAction = new Map((ui.analysis?.moves ?? []).map((m) => [m.action, m]));
  const canPlay = !ui.busy && v.turn === 'human';
  el.board.className = `board ${v.game}`;
  el.board.setAttribute('aria-label', `${info.displayName} board`);
  const nodes = [];

  if (v.game === 'tictactoe') {
    cells.forEach((p, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `cell${p === 0 ? ' x' : p === 1 ? ' o' : ''}${order[i] === lastIndex && lastIndex >= 0 ? ' last' : ''}`;
      b.dataset.action = String(i);
      b.textContent = p === 0 ? 'X' : p === 1 ? 'O' : '';
      const legal = v.legal.includes(i);
      b.disabled = !(canPlay && legal);
      const a = byAction.get(i);
      let label = `Cell ${i + 1}, ${p === 0 ? 'X' : p === 1 ? 'O' : 'empty'}`;
      if (a) {
        addAnalysis(b, a);
        label += `, bot ${ui.analysis.by === 'hint' ? 'suggests' : 'considered'} ${pct(a.share)} of simulations${a.winChance === null ? '' : `, win chance ${pct(a.winChance)}`}`;
      }
      b.setAttribute('aria-label', label);
      b.addEventListener('click', () => play(i));
      nodes.push(b);
    });
  } else {
    for (let c = 0; c < info.cols; c++) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'colhead';
      b.dataset.action = String(c);
      b.textContent = String(c + 1);
      b.disabled = !(canPlay && v.legal.includes(c));
      const a = byAction.get(c);
      let label = `Drop a disc in column ${c + 1}`;
      if (a) {
        addAnalysis(b, a);
        label += `, bot ${ui.analysis.by === 'hint' ? 'suggests' : 'considered'} ${pct(a.share)} of simulations${a.winChance === null ? '' : `, win chance ${pct(a.winChance)}`}`;
      }
      b.setAttribute('aria-label', label);
      b.addEventListener('click', () => play(c));
      nodes.push(b);
    }
    cells.forEach((p, i) => {
      const d = document.createElement('div');
      d.className = `cell${p === 0 ? ' red' : p === 1 ? ' yellow' : ''}${order[i] === lastIndex && lastIndex >= 0 ? ' last' : ''}`;
      d.setAttribute('role', 'img');
      d.setAttribute('aria-label', `Row ${Math.floor(i / info.cols) + 1}, column ${(i % info.cols) + 1}: ${p === 0 ? 'red' : p === 1 ? 'yellow' : 'empty'}`);
      d.addEventListener('click', () => play(i % info.cols));
      nodes.push(d);
    });
  }
  el.board.replaceChildren(...nodes);

  // The value bar: the human's chance, from the latest analysis or the final result.
  let chance = 0.5;
  if (v.result) chance = v.result.outcome === 'win' ? 1 : v.result.outcome === 'loss' ? 0 : 0.5;
  else if (ui.analysis) chance = ui.analysis.player === v.humanPlayer ? ui.analysis.winChance : 1 - ui.analysis.winChance;
  el.valueFill.style.height = pct(chance);
  el.valueText.textContent = pct(chance);
  el.valueBar.setAttribute('aria-valuenow', String(Math.round(chance * 100)));
  el.valueBar.setAttribute('aria-valuetext', `Your winning chance ${pct(chance)}`);

  const you = v.game === 'tictactoe' ? (v.humanPlayer === 0 ? 'X' : 'O') : v.humanPlayer === 0 ? 'red' : 'yellow';
  if (v.result) {
    const text = v.result.outcome === 'win' ? 'You win!' : v.result.outcome === 'loss' ? (v.result.reason === 'resign' ? 'You resigned. The bot wins.' : 'The bot wins.') : 'Draw.';
    el.result.textContent = text;
    el.result.dataset.outcome = v.result.outcome;
    el.result.hidden = false;
    setStatus(`Game over: ${text} Press “New game” to play again.`);
  } else {
    el.result.hidden = true;
    delete el.result.dataset.outcome;
    if (!ui.busy) setStatus(v.turn === 'human' ? `Your move (you play ${you}).` : 'The bot is to move.');
  }

  const a = ui.analysis;
  if (a) {
    const who = a.by === 'hint' ? 'For your position' : 'The bot';
    const pv = a.pv.map((m) => m.text).join(' ');
    const proven = a.proven ? ` — proven ${a.proven} for the side to move` : '';
    const effort = a.simulations === 0 && a.proven ? 'solved already (no new simulations)' : `${a.simulations} simulations in ${Math.round(a.timeMs)} ms`;
    el.summary.textContent = `${who}: ${effort}, value ${a.value >= 0 ? '+' : ''}${a.value.toFixed(2)} (win chance ${pct(a.winChance)})${proven}. Best line: ${pv || '—'}.`;
  } else {
    el.summary.textContent = 'No analysis yet: it appears after the bot moves, or press “Hint”.';
  }
  setButtons(!ui.busy);
}

function addAnalysis(node, a) {
  const heat = document.createElement('span');
  heat.className = 'heat';
  heat.style.setProperty('--share', String(Math.min(0.55, a.share * 0.8)));
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.textContent = `${pct(a.share)}${a.winChance === null ? '' : ` · ${pct(a.winChance)}`}`;
  node.append(heat, badge);
}

// ---- input ----

el.setup.addEventListener('submit', (ev) => {
  ev.preventDefault();
  newGame();
});
el.undo.addEventListener('click', undo);
el.hint.addEventListener('click', hint);
el.resign.addEventListener('click', resign);
el.game.addEventListener('change', () => {
  // Perfect play exists only for tic-tac-toe.
  const perfect = el.strength.querySelector('option[value=perfect]');
  perfect.disabled = el.game.value !== 'tictactoe';
  if (perfect.disabled && el.strength.value === 'perfect') el.strength.value = 'uct:sims=3000';
});
document.addEventListener('keydown', (ev) => {
  if (ev.target instanceof HTMLSelectElement || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (/^[1-9]$/.test(ev.key)) play(Number(ev.key) - 1);
  else if (ev.key === 'u') undo();
  else if (ev.key === 'n') newGame();
});

el.newGame.disabled = true;
connect();
