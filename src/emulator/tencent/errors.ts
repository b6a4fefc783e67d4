/** An error answer of a Tencent Cloud API: {"Response": {"Error": {"Code", "Message"}, "RequestId"}}. */
export class CwpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
