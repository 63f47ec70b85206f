// `npm start`: runs the whole of Quorum on this machine — the API (which creates the
// database and applies migrations on boot), then the worker — and stops both together.
//
// The children run in process groups of their own, so Ctrl-C in a terminal reaches only this
// script, which passes one SIGTERM to each: each drains and logs its final "stopped" line. (In
// the terminal's group they got the SIGINT too, and the SIGTERM that followed was a second
// signal, which exits at once, before that line.) A second Ctrl-C is passed on as a second
// signal: exit now.
import { spawn } from 'node:child_process';

const children = [];
let stopping = false;

function run(name, file, onLine) {
  const child = spawn(process.execPath, [file], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
    detached: true,
  });
  children.push(child);
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      process.stdout.write(`[${name}] ${line}\n`);
      onLine?.(line);
    }
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`[${name}] exited (${signal ?? code}); stopping Quorum\n`);
      stop(code || 1);
    }
  });
  return child;
}

const alive = () => children.filter((c) => c.exitCode === null && c.signalCode === null);

function stop(code = 0) {
  if (stopping) {
    // Asked again: the children exit at once on a second signal.
    for (const child of alive()) child.kill('SIGTERM');
    return;
  }
  stopping = true;
  const running = alive();
  if (running.length === 0) process.exit(code);
  let left = running.length;
  for (const child of running) {
    // 'close', not 'exit': its output is read to the end, "stopped" line included.
    child.once('close', () => {
      left -= 1;
      if (left === 0) process.exit(code);
    });
    child.kill('SIGTERM');
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));

let workerStarted = false;
run('api', 'apps/api/dist/main.js', (line) => {
  if (!workerStarted && line.includes('Quorum API ready')) {
    workerStarted = true;
    run('worker', 'apps/worker/dist/main.js');
  }
});
