// Alibaba Cloud RAM role ARNs, as STS AssumeRole (2015-04-01) takes them, and the configuration's
// checks of them: a wrong ARN is refused when the file is loaded, with what was meant where that can
// be told (a Tencent or AWS ARN, a RAM user, an assumed-role session, a missing colon).

/** acs:ram::<account id>:role/<role name> (role names: letters, digits, . and -, up to 64). */
const ALIBABA_ROLE_ARN = /^acs:ram::\d+:role\/[A-Za-z0-9.-]{1,64}$/;

const ALIBABA_ROLE_ARN_EXAMPLE = 'acs:ram::1234567890123456:role/cloudscan-reader';
const FORM = `write acs:ram::<account id>:role/<role name>, e.g. ${ALIBABA_ROLE_ARN_EXAMPLE}`;

/** RoleSessionName: 2 to 64 of letters, digits and .@-_ (the API's own rule). */
export const ALIBABA_SESSION_NAME = /^[\w.@-]{2,64}$/;
/** ExternalId: 2 to 1224 of letters, digits and +=,.@:/-_ (the API reference's own pattern, [\w+=,.@:\/-]*). */
export const ALIBABA_EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export function isAlibabaRoleArn(text: string): boolean {
  return ALIBABA_ROLE_ARN.test(text);
}

/** Why `text` is not an Alibaba role ARN, with the likely meant one where it can be told; undefined when it is one. */
export function alibabaRoleArnProblem(text: string): string | undefined {
  if (isAlibabaRoleArn(text)) return undefined;
  const trimmed = text.trim();
  if (trimmed !== text && isAlibabaRoleArn(trimmed)) return 'has spaces around it: remove them';
  if (/^qcs:/i.test(trimmed)) return `is a Tencent Cloud role ARN; under alibaba: ${FORM}`;
  if (/^arn:/i.test(trimmed)) return `is an AWS-style ARN; an Alibaba Cloud role ARN is acs:ram::..., ${FORM}`;
  const session = /^acs:(?:ram|sts)::(\d+):assumed-role\/([A-Za-z0-9.-]{1,64})\/[^/]+$/i.exec(trimmed);
  if (session) return `is an assumed-role session, not the role: did you mean acs:ram::${session[1]!}:role/${session[2]!}?`;
  if (/^acs:ram::\d+:user\//i.test(trimmed)) return `names a RAM user, not a role: ${FORM}`;
  const slip = /^acs:{1,2}ram:{1,2}(\d+):role\/([A-Za-z0-9.-]{1,64})\/?$/i.exec(trimmed);
  if (slip) {
    const candidate = `acs:ram::${slip[1]!}:role/${slip[2]!}`;
    if (candidate !== text) return `is not a role ARN: did you mean ${candidate}?`;
  }
  return `is not an Alibaba Cloud role ARN (${FORM})`;
}
