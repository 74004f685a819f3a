/**
 * Shared set-up of the server tests: the small synthetic town (identical to
 * fixtures/small), with a unique canary planted in every record that the
 * Housing audience may not see, imported into a real embedded store.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioRecords } from '@ocgnet/generator';
import { audienceById, defaultAudiences, entityForAudience, mayView } from '@ocgnet/profiles';
import { linkMarking, markingOfGrading, type Grading, type Entity, type Link, type RecordSet } from '@ocgnet/schema';
import { openStore } from '@ocgnet/store';
import { expect } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { newToken, type UsersConfig } from '../src/users.js';

export function smallTown(): RecordSet {
  return scenarioRecords({ size: 'small', seed: 42 });
}

export interface CanaryTown {
  records: RecordSet;
  canaries: string[];
  /** Ids of entities hidden from Housing (renamed to carry a canary). */
  hiddenEntities: string[];
}

/**
 * Plants a fresh canary in the id, label and notes of every entity and link
 * Housing may not see, and in the value of every graded attribute Housing may
 * not see on an entity it may see.
 */
export function plantCanaries(source: RecordSet): CanaryTown {
  const housing = audienceById(defaultAudiences(), 'partner-agency:housing');
  const canaries: string[] = [];
  let next = 0;
  const canary = (): string => {
    const value = `CANARY${String(next++).padStart(5, '0')}Z`;
    canaries.push(value);
    return value;
  };
  // The fixture hides only events and a phone from Housing; hide some nominals and addresses too.
  const police: Grading = {
    system: '3x5x2',
    source: '2',
    intelligence: 'B',
    handling: 'C',
    conditions: 'Police use only: not for partner agencies',
  };
  let nth = 0;
  source = {
    entities: source.entities.map((entity) =>
      (entity.kind === 'person' || entity.kind === 'location') && nth++ % 9 === 4
        ? { ...entity, grading: police }
        : entity,
    ),
    links: source.links,
  };
  const rename = new Map<string, string>();
  const hiddenEntities: string[] = [];
  const entities: Entity[] = source.entities.map((entity) => {
    if (entityForAudience(entity, housing) === undefined) {
      const token = canary();
      const id = `${entity.id}-${token}`;
      rename.set(entity.id, id);
      hiddenEntities.push(id);
      return {
        ...entity,
        id,
        label: `${entity.label} ${token}`,
        notes: `secret ${token}`,
        ...(entity.attributes
          ? {
              attributes: entity.attributes.map((attribute) => ({
                ...attribute,
                value: `${String(attribute.value)} ${canary()}`,
              })),
            }
          : {}),
      };
    }
    if (entity.attributes === undefined) return entity;
    return {
      ...entity,
      attributes: entity.attributes.map((attribute) =>
        mayView(housing, markingOfGrading(attribute.grading))
          ? attribute
          : { ...attribute, value: `${String(attribute.value)} ${canary()}` },
      ),
    };
  });
  const links: Link[] = source.links.map((link) => {
    const moved = { ...link, from: rename.get(link.from) ?? link.from, to: rename.get(link.to) ?? link.to };
    if (mayView(housing, linkMarking(link))) return moved;
    const token = canary();
    return { ...moved, id: `${link.id}-${token}`, notes: `secret ${token}` };
  });
  return { records: { entities, links }, canaries, hiddenEntities };
}

export interface TestUser {
  name: string;
  audience: string;
  token: string;
}

export interface TestWorld {
  dir: string;
  storePath: string;
  viewerDist: string;
  town: CanaryTown;
  users: Record<'analyst' | 'housing' | 'dwp', TestUser>;
  config: UsersConfig;
  cleanup(): Promise<void>;
}

export async function makeWorld(): Promise<TestWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'ocgnet-server-'));
  const storePath = join(dir, 'town.ocgnet.db');
  const town = plantCanaries(smallTown());
  const store = await openStore(storePath, {
    who: 'loader',
    audience: 'police-analyst',
    justification: 'test fixture',
  });
  try {
    await store.importRecords(town.records);
  } finally {
    await store.close();
  }
  const viewerDist = join(dir, 'dist');
  await mkdir(join(viewerDist, 'assets'), { recursive: true });
  await writeFile(
    join(viewerDist, 'index.html'),
    '<!DOCTYPE html><html><head><script type="module" src="/assets/app.js"></script></head><body>viewer</body></html>\n',
  );
  await writeFile(join(viewerDist, 'assets', 'app.js'), 'console.log("viewer");\n');
  const make = (name: string, audience: string) => {
    const { token, token_sha256 } = newToken();
    return { user: { name, audience, token }, entry: { name, audience, token_sha256, justification: `test: ${name}` } };
  };
  const analyst = make('ana.analyst', 'police-analyst');
  const housing = make('hugh.housing', 'partner-agency:housing');
  const dwp = make('dee.dwp', 'partner-agency:dwp');
  return {
    dir,
    storePath,
    viewerDist,
    town,
    users: { analyst: analyst.user, housing: housing.user, dwp: dwp.user },
    config: { users: [analyst.entry, housing.entry, dwp.entry] },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Logs `user` in from `remoteAddress` and gives the session cookie, as a Cookie header value. */
export async function sessionCookie(server: RunningServer, user: TestUser, remoteAddress: string): Promise<string> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { user: user.name, token: user.token },
    remoteAddress,
  });
  expect(response.statusCode).toBe(200);
  const cookie = response.cookies.find((c) => c.name === 'ocgnet_session');
  expect(cookie).toBeDefined();
  return `ocgnet_session=${cookie!.value}`;
}
