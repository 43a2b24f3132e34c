# Panther rule Sample.AWS.EC2.VolumeEncryptionDiffers (rules/aws_cloudtrail/aws_ebs_volume_encryption_differs.yml + rules/aws_cloudtrail/aws_ebs_volume_encryption_differs.py)
# Sample: EBS Volume Encryption Differs from the Request
# An EBS volume was created encrypted while the request did not ask for it, or the other way round: an account default or the source snapshot decided instead of the request.
# fidelity: exact
fields @timestamp
| fields if(ispresent(requestParameters.encrypted), 1, 0) as EncryptedIsPresent, if(ispresent(responseElements.encrypted), 1, 0) as EncryptedIsPresent2
| filter eventName = "CreateVolume"
| filter eventSource = "ec2.amazonaws.com"
| filter (EncryptedIsPresent = 1 and ((EncryptedIsPresent2 = 1 and not (requestParameters.encrypted = responseElements.encrypted)) or (EncryptedIsPresent2 = 0 and requestParameters.encrypted = 1))) or (EncryptedIsPresent = 0 and responseElements.encrypted = 1)
| sort @timestamp desc
| limit 10000
