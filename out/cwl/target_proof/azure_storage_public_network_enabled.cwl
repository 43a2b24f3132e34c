# Panther rule Sample.Azure.StoragePublicNetworkEnabled (rules/target_proof/azure_storage_public_network_enabled.yml + rules/target_proof/azure_storage_public_network_enabled.py)
# Sample: Azure Storage Account Open to Every Network
# The network rules of an Azure storage account were set to allow traffic from every network. The request body is logged as JSON text.
# fidelity: exact
fields @timestamp, jsonParse(properties.requestbody) as jsonRequestbody
| filter operationName =~ /(?i)^M(?-i:[Iiı])CRO(?-i:[Ssſ])OFT\.(?:(?-i:[Ssſ])T|(?-i:[ﬅﬆ]))ORAGE\x2f(?:(?-i:[Ssſ])T|(?-i:[ﬅﬆ]))ORAGEACCOUNT(?-i:[Ssſ])\x2fWR(?-i:[Iiı])TE$/
| filter not (operationName =~ /[\x0a-\x0d\x85‧-‰]$/)
| filter jsonRequestbody.properties.networkAcls.defaultAction = "Allow"
| sort @timestamp desc
| limit 10000
