# Panther rule Sample.Proof.S3ObjectDownloaded (rules/target_proof/aws_s3_object_downloaded.yml + rules/target_proof/aws_s3_object_downloaded.py)
# Sample: S3 Object Downloaded
# An S3 GetObject data event that transferred bytes. Pins how each target reads the truthiness of a number (0 is falsy in Python) and of an object ({} is falsy).
# fidelity: approximate
# target-unsupported-construct: cwl: a test on requestParameters (a JSON object in the rule's tests) cannot be expressed in Logs Insights; replaced by its superset
fields @timestamp, eventName
| filter ispresent(additionalEventData.bytesTransferredOut)
| filter additionalEventData.bytesTransferredOut != 0
| filter eventName = "GetObject"
| sort @timestamp desc
| limit 10000
