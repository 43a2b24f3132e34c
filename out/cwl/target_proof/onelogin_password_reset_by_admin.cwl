# Panther rule Sample.OneLogin.PasswordResetByAdmin (rules/target_proof/onelogin_password_reset_by_admin.yml + rules/target_proof/onelogin_password_reset_by_admin.py)
# Sample: OneLogin Password Reset by an Administrator
# A OneLogin user's password was reset (event type 11) by an account the event names.
# fidelity: approximate
# target-computed-value: cwl: a computed value (str(event.get("event_type_id"))) cannot be addressed as a field; replaced by its superset
fields @timestamp
| filter ispresent(`actor_user_id`)
| sort @timestamp desc
| limit 10000
