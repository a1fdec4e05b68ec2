import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../common/config';
import { publicationSettingsOf } from '../../control/publicationSettings';
import { DATASETS, declarationOf } from '../../domain/datasets';

const refusal = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
};

const windowAndDeadline = (env: Record<string, string>, dataset: (typeof DATASETS)[number]) => {
  const { window, deadline } = publicationSettingsOf(loadConfig(env), dataset);
  return { window, deadline };
};

describe('publication window and freshness deadline per dataset', () => {
  it('are each dataset’s declared ones when nothing is set', () => {
    for (const dataset of DATASETS) {
      const { window, deadline } = declarationOf(dataset).publication;
      expect(windowAndDeadline({}, dataset)).toEqual({ window, deadline });
    }
  });

  it('are set per dataset, by id or region/endpoint, the others keeping theirs', () => {
    const env = {
      PUBLICATION_WINDOWS: 'nordic/maxExchanges=10:00-13:30, coreAtc=07:00-09:00',
      FRESHNESS_DEADLINES: 'nordicMaxExchanges=14:00',
    };
    expect(windowAndDeadline(env, 'nordicMaxExchanges')).toEqual({
      window: '10:00-13:30',
      deadline: '14:00',
    });
    expect(windowAndDeadline(env, 'coreAtc')).toEqual({
      window: '07:00-09:00',
      deadline: declarationOf('coreAtc').publication.deadline,
    });
    expect(windowAndDeadline(env, 'maxExchanges')).toEqual({ window: '08:00-11:00', deadline: '12:00' });
  });

  it('take a deadline on the delivery day itself', () => {
    const env = { FRESHNESS_DEADLINES: 'coreIdccCMaxExchanges=D 11:00' };
    expect(windowAndDeadline(env, 'coreIdccCMaxExchanges').deadline).toBe('D 11:00');
    expect(refusal({ FRESHNESS_DEADLINES: 'coreAtc=D 24:00' })).toBe(
      'invalid configuration: FRESHNESS_DEADLINES: coreAtc: expected HH:MM local time on the day before, or D HH:MM ' +
        'on the delivery day itself, not "D 24:00"',
    );
  });

  it('keep PUBLICATION_WINDOW and FRESHNESS_DEADLINE as the default dataset’s, and for it alone', () => {
    const env = { PUBLICATION_WINDOW: '07:00-10:30', FRESHNESS_DEADLINE: '11:15' };
    expect(windowAndDeadline(env, 'maxExchanges')).toEqual({ window: '07:00-10:30', deadline: '11:15' });
    expect(windowAndDeadline(env, 'nordicMaxExchanges')).toEqual({
      window: '08:00-11:00',
      deadline: '12:00',
    });
    expect(windowAndDeadline({ PUBLICATION_WINDOWS: 'maxExchanges=09:00-12:00' }, 'maxExchanges')).toEqual({
      window: '09:00-12:00',
      deadline: '12:00',
    });
  });

  it('refuses a bad setting in one line naming the variable and the dataset', () => {
    expect(refusal({ PUBLICATION_WINDOWS: 'nordicMaxExchanges=11:00-08:00' })).toBe(
      'invalid configuration: PUBLICATION_WINDOWS: nordicMaxExchanges: expected HH:MM-HH:MM on the day before ' +
        'delivery, or D HH:MM-HH:MM on the delivery day (Europe/Amsterdam, the end up to 24:00), the end after the ' +
        'start, not "11:00-08:00"',
    );
    expect(refusal({ FRESHNESS_DEADLINES: 'coreAtc=25:00' })).toBe(
      'invalid configuration: FRESHNESS_DEADLINES: coreAtc: expected HH:MM local time on the day before, or D HH:MM ' +
        'on the delivery day itself, not "25:00"',
    );
    expect(refusal({ FRESHNESS_DEADLINES: 'atlantis=12:00' })).toMatch(
      /^invalid configuration: FRESHNESS_DEADLINES: unknown dataset "atlantis" \(known: maxExchanges, /,
    );
    expect(refusal({ FRESHNESS_DEADLINES: 'coreAtc' })).toBe(
      'invalid configuration: FRESHNESS_DEADLINES: expected dataset=value, not "coreAtc"',
    );
    expect(refusal({ FRESHNESS_DEADLINES: 'coreAtc=12:00,core/atc=13:00' })).toBe(
      'invalid configuration: FRESHNESS_DEADLINES: coreAtc is named twice',
    );
    expect(refusal({ FRESHNESS_DEADLINE: '12:00', FRESHNESS_DEADLINES: 'maxExchanges=13:00' })).toBe(
      "invalid configuration: FRESHNESS_DEADLINE: it sets maxExchanges's, which FRESHNESS_DEADLINES names too; keep one",
    );
    expect(refusal({ FRESHNESS_DEADLINE: '24:00' })).toBe(
      'invalid configuration: FRESHNESS_DEADLINE: expected HH:MM local time',
    );
  });
});
