// The migrations written in TypeScript, by name, in their place among the SQL files of db/migrations
// (db/migrations.ts loadMigrations): data work in batches and DDL that must run outside a transaction block.

import type { MigrationStep } from './migrationStep';
import { deliveryDayIndex } from './migrationSteps/deliveryDayIndex';
import { fillDeliveryDay } from './migrationSteps/fillDeliveryDay';

export const MIGRATION_STEPS: Readonly<Record<string, MigrationStep>> = {
  '013_fill_delivery_day': fillDeliveryDay,
  '014_delivery_day_index': deliveryDayIndex,
};
