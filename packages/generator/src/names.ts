/**
 * Invented names and labels. People are common first names crossed with common
 * surnames, towns and streets are syllable combinations: nobody here is real.
 * Phone numbers come from Ofcom's 07700 900xxx drama block, then from the 04
 * range, which is unallocated in the UK; vehicle marks follow the current UK
 * format but start with Z, a letter never issued as a GB memory tag, so no
 * invented number or mark can belong to a real person.
 */
import type { Rng } from './rng.js';

const FEMALE = [
  'Olivia',
  'Amelia',
  'Isla',
  'Ava',
  'Mia',
  'Ivy',
  'Lily',
  'Isabella',
  'Rosie',
  'Sophia',
  'Grace',
  'Freya',
  'Emily',
  'Poppy',
  'Ella',
  'Evie',
  'Chloe',
  'Jessica',
  'Sophie',
  'Lucy',
  'Hannah',
  'Megan',
  'Charlotte',
  'Emma',
  'Sarah',
  'Laura',
  'Rebecca',
  'Gemma',
  'Kelly',
  'Nicola',
  'Claire',
  'Donna',
  'Joanne',
  'Lisa',
  'Karen',
  'Tracey',
  'Michelle',
  'Natalie',
  'Stacey',
  'Leanne',
  'Kayleigh',
  'Chantelle',
  'Jade',
  'Amy',
  'Zara',
  'Aisha',
  'Fatima',
  'Maryam',
  'Precious',
  'Shanice',
  'Tia',
  'Demi',
  'Courtney',
  'Abigail',
  'Paige',
  'Holly',
  'Katie',
  'Danielle',
  'Samantha',
  'Victoria',
  'Anna',
  'Maria',
  'Agnieszka',
  'Ioana',
] as const;

const MALE = [
  'Oliver',
  'George',
  'Noah',
  'Arthur',
  'Leo',
  'Harry',
  'Oscar',
  'Jack',
  'Charlie',
  'Jacob',
  'Thomas',
  'James',
  'William',
  'Joshua',
  'Daniel',
  'Ryan',
  'Liam',
  'Connor',
  'Callum',
  'Jordan',
  'Kyle',
  'Jamie',
  'Lewis',
  'Dylan',
  'Tyler',
  'Reece',
  'Kieran',
  'Bradley',
  'Ashley',
  'Dean',
  'Lee',
  'Wayne',
  'Darren',
  'Craig',
  'Gary',
  'Paul',
  'Mark',
  'Stephen',
  'Andrew',
  'David',
  'Michael',
  'Robert',
  'John',
  'Kevin',
  'Marcus',
  'Jermaine',
  'Tyrone',
  'Andre',
  'Kane',
  'Mason',
  'Ethan',
  'Alfie',
  'Riley',
  'Kai',
  'Mohammed',
  'Ali',
  'Hassan',
  'Imran',
  'Adam',
  'Yusuf',
  'Tomasz',
  'Piotr',
  'Andrei',
  'Luca',
  'Nathan',
  'Aaron',
] as const;

const SURNAMES = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Wood',
  'Jackson',
  'Clarke',
  'Patel',
  'Khan',
  'Lewis',
  'James',
  'Phillips',
  'Mason',
  'Mitchell',
  'Rose',
  'Davis',
  'Rodgers',
  'Harris',
  'Clark',
  'Turner',
  'Hill',
  'Moore',
  'Cooper',
  'Ward',
  'Morris',
  'King',
  'Watson',
  'Baker',
  'Harrison',
  'Morgan',
  'Allen',
  'Young',
  'Scott',
  'Edwards',
  'Hughes',
  'Martin',
  'Lee',
  'Hussain',
  'Ali',
  'Begum',
  'Shah',
  'Kaur',
  'Singh',
  'Ahmed',
  'Campbell',
  'Stewart',
  'Murray',
  'Kelly',
  'Murphy',
  'Reid',
  'Hamilton',
  'Graham',
  'Ross',
  'Bennett',
  'Shaw',
  'Holmes',
  'Lloyd',
  'Price',
  'Parker',
  'Palmer',
  'Knight',
  'Gray',
  'Owen',
  'Barker',
  'Fisher',
  'Marshall',
  'Kennedy',
  'Francis',
  'Grant',
  'Reynolds',
  'Dixon',
  'Hunt',
  'Spencer',
  'Webb',
  'Pearce',
  'Burton',
  'Chapman',
  'Ellis',
  'Fletcher',
  'Bailey',
  'Brooks',
  'Lawson',
  'Nowak',
  'Kowalski',
  'Popescu',
  'Okafor',
  'Mensah',
  'Boateng',
  'Campbell-Brown',
  'Richards',
  'Gordon',
] as const;

const STREET_WORDS = [
  'Mill',
  'Church',
  'Station',
  'Park',
  'Victoria',
  'Albert',
  'Queens',
  'Kings',
  'Chapel',
  'Bridge',
  'Market',
  'Canal',
  'Foundry',
  'Tannery',
  'Orchard',
  'Meadow',
  'Willow',
  'Beech',
  'Elm',
  'Ash',
  'Rowan',
  'Hawthorn',
  'Cedar',
  'Laburnum',
  'Sycamore',
  'Brook',
  'Spring',
  'Well',
  'Forge',
  'Granary',
  'Wharf',
  'Priory',
  'Abbey',
  'Grange',
  'Manor',
  'Coronation',
  'Jubilee',
  'Nelson',
  'Wellington',
  'Peel',
  'Gladstone',
  'Cromwell',
  'Railway',
  'Colliery',
  'Quarry',
  'Heath',
  'Moor',
  'Lark',
  'Kestrel',
  'Heron',
  'Swallow',
  'Linnet',
] as const;
const STREET_KINDS = [
  'Road',
  'Street',
  'Lane',
  'Close',
  'Avenue',
  'Way',
  'Court',
  'Drive',
  'Terrace',
  'Crescent',
  'Walk',
  'Place',
] as const;

const PLACE_HEADS = [
  'Ash',
  'Brad',
  'Calder',
  'Dun',
  'Elms',
  'Fen',
  'Gar',
  'Hals',
  'Ing',
  'Kel',
  'Lang',
  'Mar',
  'Nor',
  'Oak',
  'Pen',
  'Ros',
  'Stan',
  'Thorn',
  'Wex',
  'Wil',
  'Brack',
  'Cray',
  'Dray',
  'Esk',
  'Frod',
  'Glen',
  'Holl',
  'Kirk',
  'Lyd',
  'Mel',
  'Ned',
  'Ock',
  'Pry',
  'Quen',
  'Rud',
  'Sel',
  'Tad',
  'Ulver',
  'Ven',
  'Whit',
] as const;
const PLACE_TAILS = [
  'bury',
  'ford',
  'ham',
  'ley',
  'ton',
  'worth',
  'wick',
  'by',
  'stow',
  'mouth',
  'caster',
  'field',
  'combe',
  'thorpe',
] as const;
const AREA_TAILS = [
  'field',
  'gate',
  'side',
  ' Park',
  ' Vale',
  ' Green',
  ' Heights',
  ' End',
  ' Hill',
  'moor',
  ' Estate',
  ' Fold',
] as const;

const NICKNAMES = [
  'Dex',
  'Tiny',
  'Bugsy',
  'Smudge',
  'Lil J',
  'Skinz',
  'Ace',
  'Ghost',
  'Rizz',
  'Spider',
  'Mouse',
  'Tank',
  'Chops',
  'Red',
  'Shorty',
  'Flex',
  'Kash',
  'Trigger',
  'Bones',
  'Scrappy',
  'Nitro',
  'Milky',
  'Boogie',
  'Pepper',
  'Slim',
  'Biggs',
  'Snoop',
  'Fidget',
  'Zeus',
  'Taz',
  'Bam',
  'Dizzy',
  'Moley',
  'Chip',
  'Frosty',
] as const;

const LINE_NAMES = [
  'Jay',
  'Ace',
  'Snow',
  'Bando',
  'Tony',
  'Kash',
  'Dolla',
  'Jamz',
  'Rico',
  'Benz',
  'Nando',
  'Blade',
  'Zed',
  'Magic',
] as const;
const OPERATION_WORDS = [
  'Kestrel',
  'Falcon',
  'Granite',
  'Lantern',
  'Harrier',
  'Bramble',
  'Cobalt',
  'Sentinel',
  'Tundra',
  'Quarry',
  'Meridian',
  'Thistle',
  'Hawthorn',
  'Corvid',
  'Beacon',
  'Saffron',
  'Onyx',
  'Ember',
  'Foxglove',
  'Vantage',
] as const;
const INITIALS = 'ABCDEFGHJKLMNPRSTW'.split('');
const RANKS = ['DS', 'DS', 'DI', 'DI', 'DCI'] as const;

const VEHICLES = [
  ['Ford', 'Fiesta'],
  ['Ford', 'Focus'],
  ['Vauxhall', 'Corsa'],
  ['Vauxhall', 'Astra'],
  ['Volkswagen', 'Golf'],
  ['Volkswagen', 'Polo'],
  ['BMW', '3 Series'],
  ['BMW', 'X5'],
  ['Audi', 'A3'],
  ['Audi', 'Q5'],
  ['Mercedes-Benz', 'C-Class'],
  ['Mercedes-Benz', 'A-Class'],
  ['Toyota', 'Yaris'],
  ['Toyota', 'Prius'],
  ['Nissan', 'Qashqai'],
  ['Land Rover', 'Range Rover Evoque'],
  ['Peugeot', '208'],
  ['Kia', 'Sportage'],
  ['SEAT', 'Leon'],
  ['MINI', 'Cooper'],
  ['Honda', 'Civic'],
  ['Ford', 'Transit'],
] as const;
const COLOURS = ['Black', 'White', 'Silver', 'Grey', 'Blue', 'Red', 'Green', 'Orange', 'Yellow'] as const;

const FRONT_NAMES = {
  car_wash: ['Sparkle', 'Supreme', 'Diamond', 'Splash', 'Elite', 'Crystal', 'Star'],
  nail_bar: ['Luxe', 'Polished', 'Glamour', 'Pearl', 'Venus', 'Lotus', 'Crystal'],
  takeaway: [
    'Golden Chicken',
    'Pizza Palace',
    'Dragon Express',
    'Kebab King',
    'Fish Bar',
    'Grill House',
    'Peri Peri Hut',
  ],
} as const;
const SHOP_WORDS = [
  'Corner',
  'Central',
  'Park',
  'Express',
  'Family',
  'Town',
  'Quality',
  'Village',
  'Premier',
  'Local',
] as const;

export type Sex = 'F' | 'M';

export function firstName(rng: Rng, sex: Sex): string {
  return rng.pick(sex === 'F' ? FEMALE : MALE);
}

export function surname(rng: Rng): string {
  return rng.pick(SURNAMES);
}

export function nickname(rng: Rng): string {
  return rng.pick(NICKNAMES);
}

/** Scenario-wide distinct town names: head × tail, with the tail list long enough for 500+ towns. */
export function townNames(rng: Rng, count: number): string[] {
  const all: string[] = [];
  for (const head of PLACE_HEADS) for (const tail of PLACE_TAILS) all.push(head + tail);
  rng.shuffle(all);
  const names = all.slice(0, Math.min(count, all.length));
  // Beyond the syllable space, number the repeats rather than collide.
  for (let index = names.length; index < count; index++)
    names.push(`${all[index % all.length]} ${Math.floor(index / all.length) + 1}`);
  return names;
}

export function areaNames(rng: Rng, count: number): string[] {
  const seen = new Set<string>();
  while (seen.size < count) seen.add(rng.pick(PLACE_HEADS) + rng.pick(AREA_TAILS));
  return [...seen];
}

export function streetNames(rng: Rng, count: number): string[] {
  const seen = new Set<string>();
  // 52 × 12 words give 600 streets; an area asks for a dozen.
  while (seen.size < count) seen.add(`${rng.pick(STREET_WORDS)} ${rng.pick(STREET_KINDS)}`);
  return [...seen];
}

export function operationName(rng: Rng): string {
  return rng.pick(OPERATION_WORDS);
}

export function lineName(rng: Rng): string {
  return rng.pick(LINE_NAMES);
}

/** A synthetic lead responsible officer, e.g. "DS J. Example"-style. */
export function officer(rng: Rng): string {
  return `${rng.pick(RANKS)} ${rng.pick(INITIALS)}. ${rng.pick(SURNAMES)}`;
}

export function vehicleModel(rng: Rng): { make: string; model: string; colour: string } {
  const [make, model] = rng.pick(VEHICLES);
  return { make, model, colour: rng.pick(COLOURS) };
}

const VRM_LETTERS = 'ABCDEFGHJKLMNOPRSTUVWXY';
/** A current-format mark (two letters, age identifier, three letters); unique within `taken`. */
export function vrm(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const letter = () => VRM_LETTERS.charAt(rng.int(0, VRM_LETTERS.length - 1));
    const year = rng.int(10, 24);
    const age = rng.chance(0.5) ? year : year + 50;
    const mark = `Z${letter()}${String(age).padStart(2, '0')} ${letter()}${letter()}${letter()}`;
    if (!taken.has(mark)) {
      taken.add(mark);
      return mark;
    }
  }
}

/**
 * A phone number from a scenario-wide counter, so numbers never repeat. The
 * first thousand, all a small scenario needs, are Ofcom's drama range
 * 07700 900000–900999; the rest are in the unallocated 04 range.
 */
export function mobileNumber(serial: number): string {
  if (serial < 1000) return `07700 ${900_000 + serial}`;
  return `0400 ${String(serial).padStart(7, '0')}`;
}

export function frontName(rng: Rng, type: 'car_wash' | 'nail_bar' | 'takeaway'): string {
  const word = rng.pick(FRONT_NAMES[type]);
  if (type === 'car_wash') return `${word} Hand Car Wash`;
  if (type === 'nail_bar') return `${word} Nails`;
  return word;
}

export function shopName(rng: Rng, type: string, owner: string): string {
  switch (type) {
    case 'barber':
      return `${rng.pick(SHOP_WORDS)} Barbers`;
    case 'garage':
      return `${owner} Motors`;
    case 'licensed_premises':
      return `The ${rng.pick(STREET_WORDS)} ${rng.pick(['Arms', 'Inn', 'Tavern', 'Vaults'])}`;
    case 'haulage':
      return `${owner} Haulage Ltd`;
    case 'lettings':
      return `${rng.pick(SHOP_WORDS)} Lettings`;
    case 'accountancy':
      return `${owner} & Co Accountants`;
    case 'solicitors':
      return `${owner} Solicitors LLP`;
    case 'takeaway':
      return frontName(rng, 'takeaway');
    default:
      return `${rng.pick(SHOP_WORDS)} Convenience Store`;
  }
}
