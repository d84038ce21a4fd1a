import { describe, expect, it } from 'vitest';
import { appEnvironment } from '../../src/cli/demo-apps.js';

describe('the demo apps', () => {
  it('do not inherit the node master key (they are upstreams, not part of latticed)', () => {
    const env = appEnvironment({ PATH: '/usr/bin', LATTICED_MASTER_KEY: 'k'.repeat(44), AWS_REGION: 'us-west-2' });
    expect(env).toEqual({ PATH: '/usr/bin', AWS_REGION: 'us-west-2' });
  });
});
