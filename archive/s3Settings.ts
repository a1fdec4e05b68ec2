// How an s3:// archive is reached: endpoint, region, addressing style and credentials, from the environment.
import { z } from 'zod';
import { ConfigError } from '../common/config';

const flag = z
  .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
  .transform((text) => text === 'true' || text === '1');

const endpoint = z
  .string()
  .refine(
    (text) => {
      if (!URL.canParse(text)) return false;
      const url = new URL(text);
      return (
        ['http:', 'https:'].includes(url.protocol) &&
        url.username === '' &&
        url.password === '' &&
        url.search === '' &&
        url.hash === ''
      );
    },
    { message: 'expected an http(s) URL without credentials, such as https://s3.example.com' },
  )
  .transform((text) => text.replace(/\/+$/, ''));

/** The variables an s3:// archive reads; each empty value counts as unset. */
export const s3SettingsSchema = z
  .object({
    ARCHIVE_S3_ENDPOINT: endpoint
      .optional()
      .meta({ accepts: 'an http(s) URL without credentials' })
      .describe('An S3-compatible server; unset: AWS S3 in ARCHIVE_S3_REGION.'),
    ARCHIVE_S3_REGION: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, 'expected a region name such as eu-central-1')
      .default('us-east-1')
      .meta({ accepts: 'a region name such as eu-central-1' })
      .describe('The region requests are signed for.'),
    ARCHIVE_S3_FORCE_PATH_STYLE: flag
      .optional()
      .describe(
        'Path-style requests (`<endpoint>/<bucket>/<key>`); unset: on with ARCHIVE_S3_ENDPOINT, off for AWS.',
      ),
    ARCHIVE_S3_ACCESS_KEY_ID: z
      .string()
      .optional()
      .describe(
        "With ARCHIVE_S3_SECRET_ACCESS_KEY (both or neither); unset, the AWS SDK's default chain applies " +
          '(AWS_ACCESS_KEY_ID…, roles).',
      ),
    ARCHIVE_S3_SECRET_ACCESS_KEY: z.string().optional().describe('The secret of ARCHIVE_S3_ACCESS_KEY_ID.'),
    ARCHIVE_S3_SESSION_TOKEN: z
      .string()
      .optional()
      .describe('A session token for temporary credentials, sent with the access key.'),
  })
  .refine(
    (settings) =>
      (settings.ARCHIVE_S3_ACCESS_KEY_ID === undefined) ===
      (settings.ARCHIVE_S3_SECRET_ACCESS_KEY === undefined),
    { message: 'ARCHIVE_S3_ACCESS_KEY_ID and ARCHIVE_S3_SECRET_ACCESS_KEY: set both or neither' },
  );

export type S3Settings = ReturnType<typeof loadS3Settings>;

/** Reads the S3 settings; throws ConfigError with one line per problem and never echoes a secret. */
export function loadS3Settings(env: NodeJS.ProcessEnv) {
  const picked = Object.fromEntries(
    Object.keys(s3SettingsSchema.shape).map((name) => [name, env[name] || undefined]),
  );
  const parsed = s3SettingsSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    );
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const settings = parsed.data;
  return {
    endpoint: settings.ARCHIVE_S3_ENDPOINT,
    region: settings.ARCHIVE_S3_REGION,
    forcePathStyle: settings.ARCHIVE_S3_FORCE_PATH_STYLE ?? settings.ARCHIVE_S3_ENDPOINT !== undefined,
    credentials:
      settings.ARCHIVE_S3_ACCESS_KEY_ID !== undefined && settings.ARCHIVE_S3_SECRET_ACCESS_KEY !== undefined
        ? {
            accessKeyId: settings.ARCHIVE_S3_ACCESS_KEY_ID,
            secretAccessKey: settings.ARCHIVE_S3_SECRET_ACCESS_KEY,
            ...(settings.ARCHIVE_S3_SESSION_TOKEN ? { sessionToken: settings.ARCHIVE_S3_SESSION_TOKEN } : {}),
          }
        : undefined,
  };
}
