import { describe, expect, it } from 'vitest';
import { newId } from '../../electron/core/db/ids';
import { packetFolderName } from '../../electron/core/packets/naming';
import { shortRef } from '../../shared/domain/id';

describe('packet folder names with UUIDv7 case ids', () => {
  it('name the case by the random end of its id, not the whole UUID', () => {
    const id = '01a236d0-d2be-7437-b266-0552c8022354';
    expect(shortRef(id)).toBe('c8022354');
    expect(packetFolderName('zh-CN', 'PDD-240611-0001', id)).toBe('申诉包_PDD-240611-0001_案件c8022354');
    expect(packetFolderName('en', 'PDD-240611-0001', id)).toMatch(/_PDD-240611-0001_case-?c8022354$/);
  });

  it('gives cases made in the same millisecond different names', () => {
    const refs = new Set(Array.from({ length: 200 }, () => shortRef(newId())));
    expect(refs.size).toBe(200);
  });
});
