// Values the global setup hands to every test file (vitest `provide` / `inject`).
declare module 'vitest' {
  export interface ProvidedContext {
    /** Server-level connection string (database `postgres`) used to create and drop test databases. */
    adminDatabaseUrl: string;
    /** Migrated database cloned by createTestDatabase(). */
    templateDatabase: string;
    /** Prefix of every database this run creates, dropped together at the end. */
    databasePrefix: string;
    temporalAddress: string;
    temporalNamespace: string;
    /** The pipeline's workflows, bundled once per run. */
    workflowBundlePath: string;
  }
}

export {};
