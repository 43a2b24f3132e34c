# Sample rule: an admin allowed users to reuse their passwords.
# Constructs exercised:
#   - a parameter the Sigma mapping renames (parameters.NEW_VALUE is Sigma's new_value) while a test
#     holds it in another casing (parameters.new_value, as the Cloud Logging export spells it): Panther
#     finds either, so Sigma reads the renamed field where present, else the raw other casing
#   - a key whose leading part only a test spells otherwise (Parameters without SETTING_NAME)
#   - deep_get with a string default, then .lower()
def rule(event):
    if event.get("name") != "CHANGE_APPLICATION_SETTING":
        return False
    setting = event.deep_get("parameters", "SETTING_NAME", default="")
    new_value = event.deep_get("parameters", "NEW_VALUE", default="")
    return setting == "Password Management - Enable password reuse" and new_value.lower() == "true"
