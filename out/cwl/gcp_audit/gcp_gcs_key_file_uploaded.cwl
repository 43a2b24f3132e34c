# Panther rule Sample.GCP.GCS.KeyFileUploaded (rules/gcp_audit/gcp_gcs_key_file_uploaded.yml + rules/gcp_audit/gcp_gcs_key_file_uploaded.py)
# Sample: GCP Credential-Like File Uploaded To Cloud Storage
# A file named like a service account key or a private key was uploaded to a Cloud Storage bucket.
# fidelity: approximate
# target-computed-value: cwl: a computed value (split(event.get("protoPayload").get("resourceName"), "/objects/")[-1]) cannot be addressed as a field; replaced by its superset
fields @timestamp
| filter protoPayload.methodName = "storage.objects.create"
| filter protoPayload.resourceName like "/objects/"
| sort @timestamp desc
| limit 10000
