import { describe, expect, it } from 'vitest';
import { workflowTaskSlots } from '../../workers/taskSlots';

describe('workflowTaskSlots', () => {
  it('opens as many workflow tasks at once as there are cores, two at least (the SDK default is 40)', () => {
    expect(workflowTaskSlots(1)).toBe(2);
    expect(workflowTaskSlots(2)).toBe(2);
    expect(workflowTaskSlots(16)).toBe(16);
  });
});
