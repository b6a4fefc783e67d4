// Tencent Cloud CAM role ARNs, as STS AssumeRole (2018-08-13) takes them, and the configuration's
// checks of them: a wrong ARN is refused when the file is loaded, with what was meant where that can
// be told (an Alibaba or AWS ARN, a role name after role/, a missing uin/), never at the first refresh.

/** qcs::cam::uin/<owner uin>:roleName/<name>, ...:role/<id>, and the service-role forms. */
const TENCENT_ROLE_ARN =
  /^qcs::cam::uin\/\d+:(?:roleName\/[\w+=,.@-]+|role\/\d+|role\/tencentcloudServiceRole\/\d+|role\/tencentcloudServiceRoleName\/[\w+=,.@-]+)$/;

const TENCENT_ROLE_ARN_EXAMPLE = 'qcs::cam::uin/100012345678:roleName/cloudscan-reader';
const FORM = `write qcs::cam::uin/<owner uin>:roleName/<role name>, e.g. ${TENCENT_ROLE_ARN_EXAMPLE}`;

/** RoleSessionName: 2 to 128 of letters, digits and =,.@_- (the API's own rule). */
export const TENCENT_SESSION_NAME = /^[\w+=,.@-]{2,128}$/;
/** ExternalId: 2 to 128 of letters, digits and +=,.@:/-_ (the API's own pattern, [\w+=,.@:\/-]*). */
export const TENCENT_EXTERNAL_ID = /^[\w+=,.@:/-]{2,128}$/;

export function isTencentRoleArn(text: string): boolean {
  return TENCENT_ROLE_ARN.test(text);
}

/** Why `text` is not a Tencent role ARN, with the likely meant one where it can be told; undefined when it is one. */
export function tencentRoleArnProblem(text: string): string | undefined {
  if (isTencentRoleArn(text)) return undefined;
  const trimmed = text.trim();
  if (trimmed !== text && isTencentRoleArn(trimmed)) return 'has spaces around it: remove them';
  if (/^acs:ram:/i.test(trimmed)) return `is an Alibaba Cloud RAM role ARN; under tencent: ${FORM}`;
  if (/^arn:/i.test(trimmed)) return `is an AWS-style ARN; a Tencent Cloud role ARN is qcs::..., ${FORM}`;
  const suggestion = likelyMeant(trimmed);
  if (suggestion !== undefined) return `is not a role ARN: did you mean ${suggestion}?`;
  const user = /^qcs::cam::uin\/(\d+):uin\/\d+$/.exec(trimmed);
  if (user) return `names a CAM user, not a role: ${FORM}`;
  return `is not a Tencent Cloud role ARN (${FORM})`;
}

/** The valid ARN that a common slip of `text` stands for, built only from the parts it holds. */
function likelyMeant(text: string): string | undefined {
  const parts = /^qcs:{1,2}cam:{1,2}(?:uin\/)?(\d+):(role|rolename)\/([\w+=,.@-]+)$/i.exec(text);
  if (!parts) return undefined;
  const [, uin, kind, name] = parts as unknown as [string, string, string, string];
  // role/ takes the role's numeric id; a name there was meant as roleName/.
  const candidate =
    kind.toLowerCase() === 'role' && /^\d+$/.test(name) ? `qcs::cam::uin/${uin}:role/${name}` : `qcs::cam::uin/${uin}:roleName/${name}`;
  return isTencentRoleArn(candidate) && candidate !== text ? candidate : undefined;
}
