import { describe, expect, it } from 'vitest';
import { staffAppAddress } from '../../renderer/src/settings/StaffHubConnect';

describe('the hub address an office PC types', () => {
  it.each([
    ['192.168.1.10:4870', 'http://192.168.1.10:4870/'],
    ['  http://hub.local:4870/staff  ', 'http://hub.local:4870/'],
    ['https://hub.example.lan:4870/#x', 'https://hub.example.lan:4870/'],
    ['HTTP://WAREHOUSE-HUB:4870', 'http://warehouse-hub:4870/'],
    ['', null],
    ['file:///etc/passwd', null],
    ['javascript:alert(1)', null],
    ['http://', null],
    ['not an address at all', null],
  ])('%j → %j', (typed, opened) => {
    expect(staffAppAddress(typed)).toBe(opened);
  });
});
