import { describe, expect, it } from 'vitest';
import { markingOfGrading, strictestMarking, formatGrading, entityMarking } from '../src/index.js';

describe('markings', () => {
  it('derives P, C with its conditions, and R for legacy 5x5x5', () => {
    expect(markingOfGrading({ system: '3x5x2', source: '1', intelligence: 'A', handling: 'P' })).toEqual({
      handling: 'P',
      conditions: [],
    });
    expect(
      markingOfGrading({ system: '3x5x2', source: '2', intelligence: 'B', handling: 'C', conditions: 'Housing only' }),
    ).toEqual({ handling: 'C', conditions: ['Housing only'] });
    expect(markingOfGrading({ system: '5x5x5', recorded: 'B24' })).toEqual({ handling: 'R', conditions: [] });
    expect(markingOfGrading(undefined)).toEqual({ handling: 'P', conditions: [] });
  });

  it('takes the strictest handling and the union of conditions', () => {
    const c1 = { handling: 'C' as const, conditions: ['b'] };
    const c2 = { handling: 'C' as const, conditions: ['a', 'b'] };
    expect(strictestMarking([{ handling: 'P', conditions: [] }, c1, c2])).toEqual({
      handling: 'C',
      conditions: ['a', 'b'],
    });
    expect(strictestMarking([c1, { handling: 'R', conditions: [] }])).toEqual({ handling: 'R', conditions: ['b'] });
    expect(strictestMarking([])).toEqual({ handling: 'P', conditions: [] });
  });

  it('marks an entity by its strictest graded attribute', () => {
    const marking = entityMarking({
      id: 'p1',
      kind: 'person',
      label: 'A',
      grading: { system: '3x5x2', source: '1', intelligence: 'A', handling: 'P' },
      attributes: [
        {
          name: 'tenancy',
          value: 'social',
          grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'C', conditions: 'DWP may see' },
        },
      ],
    });
    expect(marking).toEqual({ handling: 'C', conditions: ['DWP may see'] });
  });

  it('formats gradings compactly', () => {
    expect(formatGrading({ system: '3x5x2', source: '2', intelligence: 'B', handling: 'C', conditions: 'x' })).toBe(
      '2B C',
    );
    expect(formatGrading({ system: '5x5x5', recorded: 'B24' })).toBe('5x5x5:B24');
  });
});
