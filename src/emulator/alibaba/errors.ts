// Alibaba Cloud error answers as the POP gateway sends them: a JSON body
// {"RequestId","HostId","Code","Message","Recommend"} with the HTTP status that goes with the code.

/** HTTP status per error code, from the SAS API reference and the common POP error codes. */
const STATUS: Record<string, number> = {
  IllegalParam: 400,
  MissingParameter: 400,
  InvalidParameter: 400,
  NoPermission: 403,
  'Forbidden.RAM': 403,
  Forbidden: 403,
  ServerError: 500,
  InternalError: 500,
  ServiceUnavailable: 503,
  Throttling: 400,
  'Throttling.User': 400,
  'Throttling.Api': 400,
  SignatureDoesNotMatch: 400,
  SignatureNonceUsed: 400,
  IncompleteSignature: 400,
  'InvalidTimeStamp.Expired': 400,
  'InvalidTimeStamp.Format': 400,
  MissingSignatureNonce: 400,
  'InvalidParameter.ExternalId': 400,
  'InvalidAccessKeyId.NotFound': 404,
  'InvalidAccessKeyId.Inactive': 400,
  'InvalidAction.NotFound': 404,
  InvalidVersion: 400,
  'EntityNotExist.Role': 404,
  'InvalidParameter.RoleArn': 400,
  'InvalidParameter.RoleSessionName': 400,
  'InvalidParameter.DurationSeconds': 400,
  MissingSecurityToken: 400,
  'InvalidSecurityToken.Expired': 400,
  'InvalidSecurityToken.MismatchWithAccessKey': 400,
};

const MESSAGES: Record<string, string> = {
  IllegalParam: 'Illegal param',
  NoPermission: 'caller has no permission',
  ServerError: 'ServerError',
  Throttling: 'Request was denied due to request throttling.',
  'Throttling.User': 'Request was denied due to user flow control.',
  'Throttling.Api': 'Request was denied due to api flow control.',
  SignatureDoesNotMatch: 'Specified signature is not matched with our calculation.',
  SignatureNonceUsed: 'Specified signature nonce was used already.',
  IncompleteSignature: 'The request signature does not conform to Aliyun standards.',
  'InvalidAccessKeyId.NotFound': 'Specified access key is not found.',
  'InvalidAccessKeyId.Inactive': 'Specified access key is disabled.',
  'InvalidAction.NotFound': 'Specified api is not found, please check your url and method.',
  'EntityNotExist.Role': 'The specified Role not exists.',
  MissingSecurityToken: 'SecurityToken is mandatory for this action.',
  'InvalidSecurityToken.Expired': 'Specified SecurityToken is expired.',
  'InvalidSecurityToken.MismatchWithAccessKey': 'Specified SecurityToken mismatch with the AccessKey.',
};

export function alibabaErrorStatus(code: string): number {
  const known = STATUS[code];
  if (known !== undefined) return known;
  if (/^Throttling/.test(code)) return 400;
  if (/^(Forbidden|NoPermission)/.test(code)) return 403;
  if (/^(ServerError|InternalError)/.test(code)) return 500;
  if (/^ServiceUnavailable/.test(code)) return 503;
  return 400;
}

interface AlibabaErrorBody {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  Recommend: string;
}

export function alibabaErrorBody(code: string, requestId: string, hostId: string, message?: string): AlibabaErrorBody {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: code,
    Message: message ?? MESSAGES[code] ?? code,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Sas&requestId=${requestId}`,
  };
}
