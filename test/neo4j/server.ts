/**
 * Starts and stops the test-only Neo4j 5.26 + Graph Data Science server
 * (test/neo4j/pom.xml, src/main/java/ocgnet/testserver/Main.java).
 *
 * The Java side prints one line `OCGNET_NEO4J_BOLT bolt://127.0.0.1:<port>` on stdout when it is
 * ready, logs to stderr, and shuts down when its stdin closes. So if this Node process dies, however
 * it dies, the pipe closes and the JVM stops by itself.
 *
 * Only Node built-ins here. Run by hand: `pnpm exec tsx test/neo4j/server.ts` (see README.md).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Neo4jServerOptions {
  /** Directory Neo4j works in (a fresh sub-directory is made and deleted on stop). Default: a temp dir. */
  dataDir?: string | undefined;
  /** Receives every stderr line of Maven and the server. Default: dropped (only kept for error messages). */
  onLog?: ((line: string) => void) | undefined;
  /** JVM max heap, e.g. '3g'. Default: $OCGNET_NEO4J_HEAP or '3g'. */
  heap?: string;
}

export interface Neo4jServer {
  /** bolt://127.0.0.1:<port>; auth is disabled. */
  uri: string;
  /** Closes the server's stdin, waits for it to exit, SIGKILLs it after 30 s. Idempotent. */
  stop(): Promise<void>;
}

const moduleDir = path.dirname(fileURLToPath(import.meta.url));
const pomFile = path.join(moduleDir, 'pom.xml');
const mainSource = path.join(moduleDir, 'src', 'main', 'java', 'ocgnet', 'testserver', 'Main.java');
const targetDir = path.join(moduleDir, 'target');
const mainClassFile = path.join(targetDir, 'classes', 'ocgnet', 'testserver', 'Main.class');
const classpathFile = path.join(targetDir, 'classpath.txt');
const buildLock = path.join(targetDir, '.build.lock');
/** Written after a successful build (Maven leaves classpath.txt untouched when it has not changed). */
const buildStamp = path.join(targetDir, '.build.stamp');

const READY = /^OCGNET_NEO4J_BOLT (bolt:\/\/127\.0\.0\.1:\d+)\s*$/;
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const BUILD_TIMEOUT_MS = 30 * 60_000;
const TAIL_LINES = 80;

function prefixLog(line: string): void {
  process.stderr.write(`[ocgnet-neo4j] ${line}\n`);
}

/** Java 17+ and Maven on PATH. */
export function javaAvailable(): boolean {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (java.error || java.status !== 0) return false;
  const version = /version "(\d+)(?:\.(\d+))?/.exec(`${java.stderr}${java.stdout}`);
  if (!version) return false;
  const major = Number(version[1]) === 1 ? Number(version[2]) : Number(version[1]);
  if (!(major >= 17)) return false;
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8', timeout: 60_000 });
  return !mvn.error && mvn.status === 0;
}

function mtime(file: string): number {
  return statSync(file).mtimeMs;
}

function readClasspath(): string[] {
  return readFileSync(classpathFile, 'utf8')
    .trim()
    .split(path.delimiter)
    .filter((entry) => entry.length > 0);
}

/** True when target/ holds a build newer than pom.xml and Main.java, with every jar still in the Maven repository. */
function buildIsFresh(): boolean {
  if (!existsSync(mainClassFile) || !existsSync(classpathFile) || !existsSync(buildStamp)) return false;
  if (mtime(buildStamp) < Math.max(mtime(pomFile), mtime(mainSource))) return false;
  const entries = readClasspath();
  return entries.length > 0 && entries.every((entry) => existsSync(entry));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A lock directory so two processes never run Maven on the same target/ at once. */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(targetDir, { recursive: true });
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(buildLock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than the build timeout belongs to a process that died mid-build.
      if (Date.now() - mtime(buildLock) > BUILD_TIMEOUT_MS) rmSync(buildLock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the Maven build lock ${buildLock}`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(buildLock, { recursive: true, force: true });
  }
}

function runMaven(log: (line: string) => void): Promise<void> {
  const args = [
    '-B',
    '-Dstyle.color=never',
    '-f',
    pomFile,
    'compile',
    'dependency:build-classpath',
    `-Dmdep.outputFile=${classpathFile}`,
    '-Dmdep.includeScope=runtime',
  ];
  return new Promise((resolve, reject) => {
    const mvn = spawn('mvn', args, { cwd: moduleDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let downloaded = 0;
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      if (/^(\[INFO\] )?Downloaded from /.test(line)) {
        downloaded += 1;
        if (downloaded === 1) prefixLog('Maven is downloading Neo4j and GDS from Maven Central (first run only)…');
        if (downloaded % 50 === 0) prefixLog(`Maven: ${downloaded} files downloaded…`);
      } else if (/^\[(ERROR|WARNING)\]/.test(line)) {
        prefixLog(`Maven: ${line}`);
      }
      log(line);
    };
    createInterface({ input: mvn.stdout }).on('line', onLine);
    createInterface({ input: mvn.stderr }).on('line', onLine);
    const timer = setTimeout(() => mvn.kill('SIGKILL'), BUILD_TIMEOUT_MS);
    mvn.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run mvn: ${error.message}`));
    });
    mvn.on('close', (code, signal) => {
      clearTimeout(timer);
      if (downloaded > 0) prefixLog(`Maven: ${downloaded} files downloaded in total`);
      if (code === 0 && existsSync(classpathFile) && existsSync(mainClassFile)) resolve();
      else
        reject(
          new Error(`Maven build of ${pomFile} failed (exit ${code ?? signal}). Last output:\n${tail.join('\n')}`),
        );
    });
  });
}

let buildPromise: Promise<void> | undefined;

/** Compiles Main.java and resolves the classpath once; skipped when target/ is fresh. */
export function buildNeo4jServer(log: (line: string) => void = () => {}): Promise<void> {
  buildPromise ??= (async () => {
    if (buildIsFresh()) return;
    await withBuildLock(async () => {
      if (buildIsFresh()) return; // another process built it while we waited
      const started = Date.now();
      prefixLog('building test/neo4j (Maven)…');
      rmSync(buildStamp, { force: true });
      await runMaven(log);
      writeFileSync(buildStamp, `${new Date().toISOString()}\n`);
      prefixLog(`built test/neo4j in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
  })().catch((error: unknown) => {
    buildPromise = undefined; // allow a retry
    throw error;
  });
  return buildPromise;
}

function javaArgs(heap: string, dataDir: string | undefined): string[] {
  const classpath = [path.join(targetDir, 'classes'), ...readClasspath()].join(path.delimiter);
  const args = [
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:-OmitStackTraceInFastThrow',
    '-Dfile.encoding=UTF-8',
    '-Djava.awt.headless=true',
    // What Neo4j's own launcher passes on Java 17: fewer warnings, faster off-heap access.
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-exports=java.base/sun.nio.ch=ALL-UNNAMED',
    '-Dio.netty.tryReflectionSetAccessible=true',
    `-Docgnet.neo4j.pagecache=${process.env.OCGNET_NEO4J_PAGECACHE ?? '256m'}`,
    '-cp',
    classpath,
    'ocgnet.testserver.Main',
  ];
  if (dataDir) args.push(path.resolve(dataDir));
  return args;
}

/** Builds (if needed) and starts the server; resolves once Bolt answers and GDS is registered. */
export async function startNeo4jServer(options: Neo4jServerOptions = {}): Promise<Neo4jServer> {
  const log = options.onLog ?? (() => {});
  await buildNeo4jServer(log);

  const heap = options.heap ?? process.env.OCGNET_NEO4J_HEAP ?? '3g';
  const startedAt = Date.now();
  const child: ChildProcessWithoutNullStreams = spawn('java', javaArgs(heap, options.dataDir), {
    cwd: moduleDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // A closed pipe on write must not crash the test run.
  child.stdin.on('error', () => {});

  const tail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    log(line);
  });

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve();
    });
  });

  const uri = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      // Give the stderr reader a moment to drain so the tail is complete.
      setTimeout(() => reject(new Error(`${message}\n--- last server stderr ---\n${tail.join('\n')}`)), 200);
    };
    const timer = setTimeout(
      () => fail(`Neo4j test server did not report ready within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    child.on('error', (error) => fail(`could not start java: ${error.message}`));
    child.on('exit', (code, signal) => fail(`Neo4j test server exited before it was ready (exit ${code ?? signal})`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = READY.exec(line);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(match[1]!);
      } else if (!match) {
        log(`[stdout] ${line}`);
      }
    });
  });
  log(`Neo4j test server ready at ${uri} after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

  // Don't let the server keep this process alive: if we exit without stop(), the stdin pipe closes
  // and the JVM shuts itself down.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void }).unref?.();
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitInfo) return;
      child.stdin.end();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
      });
      const killed = await Promise.race([exited.then(() => false), timedOut]);
      clearTimeout(timer);
      if (killed) {
        log(`Neo4j test server did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
        child.kill('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };

  return { uri, stop };
}

// `pnpm exec tsx test/neo4j/server.ts [dataDir]`: start a server, print its URI, stop on Ctrl-C / SIGTERM.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const verbose = process.env.OCGNET_NEO4J_VERBOSE === '1';
  startNeo4jServer({
    dataDir: process.argv[2],
    onLog: verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  }).then(
    (server) => {
      process.stdout.write(`${server.uri}\n`);
      const keepAlive = setInterval(() => {}, 1 << 30);
      const shutdown = () => {
        clearInterval(keepAlive);
        server.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
