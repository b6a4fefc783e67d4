// The RAM permission that allows each API action the exporter calls on Alibaba Cloud: what a policy
// lists (docs/permissions.md), what CloudscanPermissionMissing says to add when one is missing.
export const ALIBABA_PERMISSIONS: Readonly<Record<string, string>> = {
  DescribeVulCheckTaskStatusDetail: 'yundun-sas:DescribeVulCheckTaskStatusDetail',
  DescribeCloudCenterInstances: 'yundun-sas:DescribeCloudCenterInstances',
  DescribeOnceTask: 'yundun-sas:DescribeOnceTask',
  AssumeRole: 'sts:AssumeRole',
  ListAccounts: 'resourcemanager:ListAccounts',
};
