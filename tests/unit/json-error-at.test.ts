import { describe, expect, it } from 'vitest';
import { jsonErrorAt } from '../../scripts/cli/json-error-at';

describe('jsonErrorAt', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]} ', '"s"', '0']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonErrorAt(text)).toBeUndefined();
    }
  });

  it('points at the first error, by line and column', () => {
    expect(jsonErrorAt('{\n  "id": "x",\n  "sites": ["a",]\n}')).toEqual({ line: 3, column: 17 }); // trailing comma
    expect(jsonErrorAt('{\n  "id": "x",\n}')).toEqual({ line: 3, column: 1 });
    expect(jsonErrorAt("{'id': 1}")).toEqual({ line: 1, column: 2 });
    expect(jsonErrorAt('{"a": 01}')).toEqual({ line: 1, column: 8 });
    expect(jsonErrorAt('{"a": tru}')).toEqual({ line: 1, column: 7 });
    expect(jsonErrorAt('{"a": 1} x')).toEqual({ line: 1, column: 10 });
    expect(jsonErrorAt('{"a": "x')).toEqual({ line: 1, column: 9 });
    expect(jsonErrorAt('')).toEqual({ line: 1, column: 1 });
  });
});
