// `npx jao catalogue [--markdown | --json] [--dataset ID]`: the catalogue and the data dictionary, read from the live
// database (jao.catalog, the datasets' sources, every object jao_reader may read with its COMMENTs). Every dataset
// unless --dataset names one: the dictionary is the whole database's.
import { type DataDictionary, readDataDictionary } from '../../db/catalogue';
import type { Dataset } from '../../domain/datasets';
import { parseCommandArgs, parseDatasetArg } from '../args';
import { configFromEnv, withPool } from '../context';
import { renderDataDictionary } from '../dataDictionary';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import { COMMAND_OPTIONS } from '../options';

export async function catalogueCommand(argv: string[], io: CliIo): Promise<void> {
  const { values } = parseCommandArgs('catalogue', argv, COMMAND_OPTIONS.catalogue, 0);
  if (values.markdown && values.json) throw new UsageError('catalogue: give --markdown or --json, not both');
  const dataset = values.dataset === undefined ? null : parseDatasetArg('catalogue', values.dataset);
  const options = { max: 1, applicationName: 'jao catalogue' };
  const dictionary = onlyDataset(
    await withPool(configFromEnv(io.env).DATABASE_URL, options, readDataDictionary),
    dataset,
  );
  io.stdout.write(
    values.json ? `${JSON.stringify(dictionary, null, 2)}\n` : renderDataDictionary(dictionary),
  );
}

/** The dictionary with the datasets and series of `dataset` only (null: all); its objects are every dataset's. */
export function onlyDataset(dictionary: DataDictionary, dataset: Dataset | null): DataDictionary {
  if (dataset === null) return dictionary;
  return {
    ...dictionary,
    datasets: dictionary.datasets.filter((entry) => entry.dataset === dataset),
    series: dictionary.series.filter((entry) => entry.dataset === dataset),
  };
}
