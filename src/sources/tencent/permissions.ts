// The CAM permission that allows each API action the exporter calls on Tencent Cloud: what a policy
// lists (docs/permissions.md), what the log and CloudscanPermissionMissing say to add when one is missing.
export const TENCENT_PERMISSIONS: Readonly<Record<string, string>> = {
  DescribeScanState: 'cwp:DescribeScanState',
  DescribeScanTaskDetails: 'cwp:DescribeScanTaskDetails',
  DescribeBaselineStrategyList: 'cwp:DescribeBaselineStrategyList',
  DescribeMachines: 'cwp:DescribeMachines',
  AssumeRole: 'name/sts:AssumeRole',
  DescribeOrganizationMembers: 'organization:DescribeOrganizationMembers',
};
