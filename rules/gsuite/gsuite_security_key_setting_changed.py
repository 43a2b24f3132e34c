# Sample rule: an administrator changed a 2-Step Verification security-key setting.
# Constructs exercised:
#   - a test on a piece of a split, stripped of whitespace (x.split("-")[0].strip() == "..."):
#     Sigma, Logs Insights and YARA-L write it as a regex on the field whose piece is framed by runs of
#     Python's whitespace (common/split.ts); Logs Insights' `$` after such a run needs no guard
#   - a contains test on another stripped piece, read with a string default
def rule(event):
    if event.get("name") != "CHANGE_APPLICATION_SETTING":
        return False
    setting = event.deep_get("parameters", "SETTING_NAME", default="")
    area = setting.split("-")[0].strip()
    change = event.deep_get("parameters", "NEW_VALUE", default="-").split("-")[-1].strip()
    return area == "Security Key Enforcement" and "disabled" in change
