import { type Config, ConfigError, loadConfig } from '../common/config';
import { UsageError } from './errors';

export function configFromEnv(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}
