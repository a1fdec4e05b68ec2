// `npx jao catalogue [--markdown | --json]`: the catalogue and the data dictionary, read from the live database
// (jao.catalog, the datasets' sources, every object jao_reader may read with its COMMENTs).
import { readDataDictionary } from '../../db/catalogue';
import { createPool } from '../../db/pool';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import { renderDataDictionary } from '../dataDictionary';
import { UsageError } from '../errors';

export async function catalogueCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(
    'catalogue',
    argv,
    { markdown: { type: 'boolean' }, json: { type: 'boolean' } },
    0,
  );
  if (values.markdown && values.json) throw new UsageError('catalogue: give --markdown or --json, not both');
  const pool = createPool(configFromEnv().DATABASE_URL, { max: 1, applicationName: 'jao catalogue' });
  try {
    const dictionary = await readDataDictionary(pool);
    process.stdout.write(
      values.json ? `${JSON.stringify(dictionary, null, 2)}\n` : renderDataDictionary(dictionary),
    );
  } finally {
    await pool.end();
  }
}
