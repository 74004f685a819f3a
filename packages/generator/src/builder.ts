/**
 * The record store for one town: hands out ids, builds schema-shaped entities
 * and links (optional fields left out rather than set to undefined, so JSON is
 * clean and deep-equality is exact), merges repeated sightings of the same
 * relation into one link with a higher count, and keeps the ground truth.
 */
import type {
  Business,
  Entity,
  Event,
  GradedAttribute,
  Grading,
  Link,
  LinkType,
  Location,
  MemberRole,
  Person,
  Phone,
  Vehicle,
} from '@ocgnet/schema';
import type { Calendar, Span } from './dates.js';
import { EvidenceDesk, type Evidence, type EvidenceKind } from './gradings.js';
import { firstName, mobileNumber, surname as randomSurname, vehicleModel, vrm, type Sex } from './names.js';
import type { Rng } from './rng.js';

/** Ground truth about one nominal: what the analysis should recover. */
export interface TruthRow {
  /** The person entity's id. */
  nominal_id: string;
  /** The town's name (its chunk's `town`). */
  town: string;
  /** The OCG or USG the person truly belongs to; empty for everyone else. */
  group_id: string;
  group_kind: 'ocg' | 'usg' | '';
  /**
   * principal, lieutenant, significant, peripheral, runner, enabler (OCG);
   * gang_member (USG); customer, vulnerable (cuckooed occupant),
   * exploited_worker (front-business victim), background.
   */
  role: string;
  /** Has a member_of link to `group_id` (police have mapped them). */
  mapped: boolean;
  /** A true member with no member_of link. */
  hidden: boolean;
}

export type Truth = Omit<TruthRow, 'nominal_id' | 'town'>;

export const BACKGROUND: Truth = { group_id: '', group_kind: '', role: 'background', mapped: false, hidden: false };

export interface PersonSpec {
  minAge: number;
  maxAge: number;
  truth: Truth;
  sex?: Sex;
  surname?: string;
  alias?: string;
  vulnerable?: boolean;
  exploited?: boolean;
  cuckooed?: boolean;
  iom?: boolean;
}

/** When a link holds: one day, or an interval (open-ended when last_seen is missing). */
export type When = { date: string } | { first_seen: string; last_seen?: string };

export interface LinkExtras {
  role?: MemberRole;
  count?: number;
  weight?: number;
  notes?: string;
}

/** A neighbourhood: its name and streets, where homes and premises are placed. */
export interface Area {
  name: string;
  streets: string[];
}

export class TownBuilder {
  readonly entities: Entity[] = [];
  readonly links: Link[] = [];
  readonly truth: TruthRow[] = [];
  readonly evidence: EvidenceDesk;
  /** Phones and vehicles by user, so later modules can reuse a person's phone. */
  readonly phonesOf = new Map<string, string[]>();
  readonly homeOf = new Map<string, string>();
  private readonly byId = new Map<string, Entity>();
  private readonly truthById = new Map<string, TruthRow>();
  private readonly counters = new Map<string, number>();
  private readonly merged = new Map<string, Link>();
  private readonly marks = new Set<string>();
  private readonly houseNumbers = new Map<string, number>();

  private stream: Rng;

  constructor(
    rng: Rng,
    readonly cal: Calendar,
    /** Prepended to every id, e.g. "T07-"; empty for a one-town scenario. */
    readonly idPrefix: string,
    readonly town: string,
    serialPrefix: string,
    /** Scenario-wide phone serial, so numbers never repeat across towns. */
    private readonly phoneSerial: { value: number },
  ) {
    this.stream = rng;
    this.evidence = new EvidenceDesk(rng, serialPrefix);
  }

  /** The random stream every choice of the town draws from. */
  get rng(): Rng {
    return this.stream;
  }

  /**
   * Switches every later random choice (the builder's and the evidence
   * desk's) to `rng`. Whatever is added after the switch cannot shift the
   * choices made before it, so a later module can be added without changing
   * a byte of what earlier modules wrote. Ids and reference numbers run on.
   */
  useStream(rng: Rng): void {
    this.stream = rng;
    this.evidence.useStream(rng);
  }

  get personCount(): number {
    return this.truth.length;
  }

  /** Records an entity (in creation order, which is output order). */
  add<T extends Entity>(entity: T): T {
    this.entities.push(entity);
    this.byId.set(entity.id, entity);
    return entity;
  }

  truthOf(person: string): TruthRow {
    const row = this.truthById.get(person);
    if (row === undefined) throw new Error(`generator bug: no truth for ${person}`);
    return row;
  }

  get(id: string): Entity {
    const entity = this.byId.get(id);
    if (entity === undefined) throw new Error(`generator bug: no entity ${id}`);
    return entity;
  }

  nextId(tag: string, width: number): string {
    const value = (this.counters.get(tag) ?? 0) + 1;
    this.counters.set(tag, value);
    return `${this.idPrefix}${tag}${String(value).padStart(width, '0')}`;
  }

  /** Evidence for something seen on `date`. */
  issue(kind: EvidenceKind, date: string): Evidence {
    return this.evidence.issue(kind, date);
  }

  addPerson(spec: PersonSpec): Person {
    const rng = this.rng;
    const sex = spec.sex ?? (rng.chance(0.5) ? 'F' : 'M');
    const family = spec.surname ?? randomSurname(rng);
    const dob = this.cal.dateOfBirth(rng, spec.minAge, spec.maxAge);
    const person: Person = {
      id: this.nextId('P', 6),
      kind: 'person',
      label: `${firstName(rng, sex)} ${family}`,
      source: rng.chance(0.7) ? 'PNC' : 'Niche RMS',
      date_of_birth: dob,
      under_18: this.cal.ageAtEnd(dob) < 18,
    };
    if (spec.alias !== undefined) person.aliases = [spec.alias];
    if (spec.vulnerable) person.vulnerable = true;
    if (spec.exploited) person.exploited = true;
    if (spec.cuckooed) person.cuckooed = true;
    if (spec.iom) person.iom = true;
    this.add(person);
    const row: TruthRow = { nominal_id: person.id, town: this.town, ...spec.truth };
    this.truth.push(row);
    this.truthById.set(person.id, row);
    return person;
  }

  /** Adds a graded attribute (intelligence about a person, with its own handling). */
  attribute(entity: Entity, name: string, value: string | number | boolean, kind: EvidenceKind): void {
    const date = this.cal.date(this.rng);
    const { source, grading } = this.issue(kind, date);
    const attribute: GradedAttribute = { name, value, grading, source, date };
    (entity.attributes ??= []).push(attribute);
  }

  addressIn(area: Area): string {
    const street = this.rng.pick(area.streets);
    const key = `${area.name}|${street}`;
    // House numbers run up each street so addresses never repeat.
    const number = (this.houseNumbers.get(key) ?? this.rng.int(0, 8)) + this.rng.int(1, 6);
    this.houseNumbers.set(key, number);
    return `${number} ${street}, ${area.name}, ${this.town}`;
  }

  addLocation(
    area: Area,
    premises: NonNullable<Location['premises_type']>,
    extra: Partial<Pick<Location, 'cuckooed' | 'grading' | 'source'>> = {},
  ): Location {
    const address = this.addressIn(area);
    const flat = premises === 'hmo' || premises === 'social_housing' ? `Flat ${this.rng.int(1, 12)}, ` : '';
    const location: Location = {
      id: this.nextId('L', 6),
      kind: 'location',
      label: `${flat}${address}`,
      source: extra.source ?? 'Gazetteer',
      premises_type: premises,
      area: area.name,
      address: `${flat}${address}`,
    };
    if (extra.cuckooed) location.cuckooed = true;
    if (extra.grading) location.grading = extra.grading;
    this.add(location);
    return location;
  }

  addPhone(kind: NonNullable<Phone['phone_kind']>, label?: string, evidence?: Evidence): Phone {
    const number = mobileNumber(this.phoneSerial.value++);
    const phone: Phone = {
      id: this.nextId('PH', 6),
      kind: 'phone',
      label: label ?? number,
      number,
      phone_kind: kind,
    };
    if (evidence) {
      phone.source = evidence.source;
      phone.grading = evidence.grading;
    } else {
      phone.source = 'Call data records';
    }
    this.add(phone);
    return phone;
  }

  addVehicle(): Vehicle {
    const { make, model, colour } = vehicleModel(this.rng);
    const mark = vrm(this.rng, this.marks);
    const vehicle: Vehicle = {
      id: this.nextId('V', 5),
      kind: 'vehicle',
      label: `${mark} ${colour} ${make} ${model}`,
      source: 'DVLA',
      vrm: mark,
      make,
      model,
      colour,
    };
    this.add(vehicle);
    return vehicle;
  }

  addBusiness(label: string, type: NonNullable<Business['business_type']>, licensed = false): Business {
    const business: Business = {
      id: this.nextId('B', 4),
      kind: 'business',
      label,
      source: 'Companies House',
      business_type: type,
      company_number: String(this.rng.int(10_000_000, 16_999_999)).padStart(8, '0'),
    };
    if (licensed) business.licensed = true;
    this.add(business);
    return business;
  }

  /** A plain link; `evidence` defaults to a fresh issue of `kind` dated at the link. */
  link(
    type: LinkType,
    from: string,
    to: string,
    when: When,
    kind: EvidenceKind,
    extras: LinkExtras = {},
    evidence?: Evidence,
  ): Link {
    const dated = 'date' in when ? when.date : when.first_seen;
    const { source, grading } = evidence ?? this.issue(kind, dated);
    return this.push(type, from, to, when, source, grading, extras);
  }

  private push(
    type: LinkType,
    from: string,
    to: string,
    when: When,
    source: string,
    grading: Grading,
    extras: LinkExtras,
  ): Link {
    // Built field by field so keys come out in one fixed order and absent fields are absent;
    // source and grading are set below, before anyone sees the object.
    const link = { id: this.nextId('K', 7), type, from, to } as Link;
    if (extras.role !== undefined) link.role = extras.role;
    if ('date' in when) link.date = when.date;
    else {
      link.first_seen = when.first_seen;
      if (when.last_seen !== undefined) link.last_seen = when.last_seen;
    }
    link.source = source;
    if (extras.count !== undefined) link.count = extras.count;
    if (extras.weight !== undefined) link.weight = extras.weight;
    link.grading = grading;
    if (extras.notes !== undefined) link.notes = extras.notes;
    this.links.push(link);
    return link;
  }

  /**
   * A person-to-person relation (associate, family, co_offender). Seen again,
   * the existing link's count goes up and its interval widens instead of a
   * duplicate being written.
   */
  relate(
    type: 'associate' | 'family' | 'co_offender',
    a: string,
    b: string,
    kind: EvidenceKind = 'intel',
    sightings = 1,
    span?: Span,
  ): Link | undefined {
    if (a === b) return undefined;
    const key = a < b ? `${type}|${a}|${b}` : `${type}|${b}|${a}`;
    const when = span ?? this.cal.span(this.rng, 30);
    return this.mergeInto(key, when, sightings, () => this.link(type, a, b, when, kind, { count: sightings }));
  }

  /** Calls from one phone to another over a span; repeated calls add to the count. */
  contact(fromPhone: string, toPhone: string, calls: number, span?: Span): Link | undefined {
    if (fromPhone === toPhone) return undefined;
    const key = `phone_contact|${fromPhone}|${toPhone}`;
    const when = span ?? this.cal.span(this.rng, 7);
    return this.mergeInto(key, when, calls, () =>
      this.link('phone_contact', fromPhone, toPhone, when, 'calls', { count: calls }),
    );
  }

  /** The link already written under `key`, its count raised by `count` and its span widened to `when`; else a new one from `make`. */
  private mergeInto(key: string, when: Span, count: number, make: () => Link): Link {
    const existing = this.merged.get(key);
    if (existing) {
      existing.count = (existing.count ?? 1) + count;
      widen(existing, when);
      return existing;
    }
    const link = make();
    this.merged.set(key, link);
    return link;
  }

  /** A person's phone (made on first use) and the uses_phone link to it. */
  phoneOf(person: string, kind: 'personal' | 'burner' = 'personal'): string {
    const phones = this.phonesOf.get(person);
    if (phones && phones.length > 0) return phones[0]!;
    return this.givePhone(person, kind);
  }

  givePhone(person: string, kind: NonNullable<Phone['phone_kind']>, span?: Span): string {
    const phone = this.addPhone(kind);
    const when = span ?? this.cal.span(this.rng, 60);
    this.link('uses_phone', person, phone.id, when, this.rng.chance(0.6) ? 'calls' : 'intel');
    const list = this.phonesOf.get(person) ?? [];
    list.push(phone.id);
    this.phonesOf.set(person, list);
    return phone.id;
  }

  /** Lives at `location` from some time in the window on. */
  livesAt(person: string, location: string, kind: EvidenceKind = 'pnc', span?: Span): Link {
    this.homeOf.set(person, location);
    const when = span ?? {
      first_seen: this.cal.date(this.rng, this.cal.first, this.cal.at(0.5)),
      last_seen: this.cal.date(this.rng, this.cal.at(0.8)),
    };
    return this.link('lives_at', person, location, when, kind);
  }

  /**
   * An event and everyone seen at it. The attended links share the event's
   * date, source and grading: they are what the record of the event says.
   */
  event(
    type: Event['event_type'],
    label: string,
    date: string,
    people: readonly string[],
    vehicles: readonly string[] = [],
    notes?: string,
  ): Event {
    const kind: EvidenceKind =
      type === 'arrest'
        ? 'custody'
        : type === 'stop'
          ? 'stop'
          : type === 'incident'
            ? 'incident'
            : this.rng.chance(0.2)
              ? 'chis'
              : 'intel';
    const evidence = this.issue(kind, date);
    const event: Event = {
      id: this.nextId('E', 6),
      kind: 'event',
      label: `${label} (${evidence.source.replace(/^(Intel|CHIS) report /, '')})`,
      source: evidence.source,
      event_type: type,
      date,
    };
    if (type === 'intelligence_report') event.grading = evidence.grading;
    if (notes !== undefined) event.notes = notes;
    this.add(event);
    const seen = new Set<string>();
    for (const attendee of [...people, ...vehicles]) {
      if (seen.has(attendee)) continue;
      seen.add(attendee);
      this.push('attended', attendee, event.id, { date }, evidence.source, { ...evidence.grading }, {});
    }
    return event;
  }
}

function widen(link: Link, when: When): void {
  const start = 'date' in when ? when.date : when.first_seen;
  const end = 'date' in when ? when.date : (when.last_seen ?? when.first_seen);
  if (link.first_seen !== undefined && start < link.first_seen) link.first_seen = start;
  if (link.last_seen !== undefined && end > link.last_seen) link.last_seen = end;
}
