import { test } from 'vitest';
import { checkKql } from '../src/mapping/kusto.js';
test('s', () => {
  for (const q of [
    'GCPAuditLogs | mv-apply with_itemindex=__q1_i __q1 = array_concat(coalesce(ServiceData.policyDelta.bindingDeltas, dynamic([])), dynamic([null])) to typeof(dynamic) on (summarize __q1_n = countif(__q1_i < array_length(ServiceData.policyDelta.bindingDeltas) and tostring(__q1.action) == "ADD" and MethodName == "x")) | where __q1_n > 0 | project TimeGenerated',
    'GCPAuditLogs | mv-apply __q1 = ServiceData to typeof(dynamic) on (summarize __q1_n = countif(tostring(__q1.action) == "ADD" and MethodName == "x")) | where __q1_n > 0',
    'GCPAuditLogs | mv-apply __q1 = ServiceData to typeof(dynamic) on (summarize __q1_n = countif(tostring(__q1.action) == "ADD" and NoSuchCol == "x")) | where __q1_n > 0',
  ]) console.log(JSON.stringify(checkKql(q)));
});
