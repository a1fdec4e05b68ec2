import { type Config, ConfigError, loadConfig } from '../common/config';
import { UsageError } from './errors';

export function configFromEnv(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}
