// `npm start`: runs the whole of Quorum on this machine — the API (which creates the
// database and applies migrations on boot), then the worker — and stops both together.
import { spawn } from 'node:child_process';

const children = [];
let stopping = false;

function run(name, file, onLine) {
  const child = spawn(process.execPath, [file], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
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

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(code);
  let left = alive.length;
  for (const child of alive) {
    child.once('exit', () => {
      left -= 1;
      if (left === 0) process.exit(code);
    });
    child.kill('SIGTERM');
  }
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

let workerStarted = false;
run('api', 'apps/api/dist/main.js', (line) => {
  if (!workerStarted && line.includes('Quorum API ready')) {
    workerStarted = true;
    run('worker', 'apps/worker/dist/main.js');
  }
});
