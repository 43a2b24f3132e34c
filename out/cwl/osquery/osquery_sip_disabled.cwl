# Panther rule Sample.Osquery.Mac.SIPDisabled (rules/osquery/osquery_sip_disabled.yml + rules/osquery/osquery_sip_disabled.py)
# Sample: MacOS System Integrity Protection Disabled
# An osquery pack reports System Integrity Protection turned off, or relaxed by a configuration flag, on a Mac.
# fidelity: exact
fields @timestamp
| filter action = "added"
| filter name in ["pack/mac-cis/SIPEnabled", "pack_osx-attacks_sip"]
| filter `columns.config_flag` =~ /^(?:[\x09-\x0d\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])*(?:\+?(?:[0٠۰߀०০੦૦୦௦౦೦൦෦๐໐༠၀႐០᠐᥆᧐᪀᪐᭐᮰᱀᱐꘠꣐꤀꧐꧰꩐꯰０𐒠𐴰𐵀𑁦𑃰𑄶𑇐𑋰𑑐𑓐𑙐𑛀𑛐𑛚𑜰𑣠𑥐𑯰𑱐𑵐𑶠𑷠𑽐𖄰𖩠𖫀𖭐𖵰𜳰𝟎𝟘𝟢𝟬𝟶𞅀𞋰𞓰𞗱𞥐🯰]_?)*[1١۱߁१১੧૧୧௧౧೧൧෧๑໑༡၁႑១᠑᥇᧑᪁᪑᭑᮱᱁᱑꘡꣑꤁꧑꧱꩑꯱１𐒡𐴱𐵁𑁧𑃱𑄷𑇑𑋱𑑑𑓑𑙑𑛁𑛑𑛛𑜱𑣡𑥑𑯱𑱑𑵑𑶡𑷡𑽑𖄱𖩡𖫁𖭑𖵱𜳱𝟏𝟙𝟣𝟭𝟷𞅁𞋱𞓱𞗲𞥑🯱]|\+?(?:[0٠۰߀०০੦૦୦௦౦೦൦෦๐໐༠၀႐០᠐᥆᧐᪀᪐᭐᮰᱀᱐꘠꣐꤀꧐꧰꩐꯰０𐒠𐴰𐵀𑁦𑃰𑄶𑇐𑋰𑑐𑓐𑙐𑛀𑛐𑛚𑜰𑣠𑥐𑯰𑱐𑵐𑶠𑷠𑽐𖄰𖩠𖫀𖭐𖵰𜳰𝟎𝟘𝟢𝟬𝟶𞅀𞋰𞓰𞗱𞥐🯰]_?)*[2٢۲߂२২੨૨୨௨౨೨൨෨๒໒༢၂႒២᠒᥈᧒᪂᪒᭒᮲᱂᱒꘢꣒꤂꧒꧲꩒꯲２𐒢𐴲𐵂𑁨𑃲𑄸𑇒𑋲𑑒𑓒𑙒𑛂𑛒𑛜𑜲𑣢𑥒𑯲𑱒𑵒𑶢𑷢𑽒𖄲𖩢𖫂𖭒𖵲𜳲𝟐𝟚𝟤𝟮𝟸𞅂𞋲𞓲𞗳𞥒🯲])(?:[\x09-\x0d\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])*$/ or columns.enabled =~ /^(?:[\x09-\x0d\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])*[\-+]?[0٠۰߀०০੦૦୦௦౦೦൦෦๐໐༠၀႐០᠐᥆᧐᪀᪐᭐᮰᱀᱐꘠꣐꤀꧐꧰꩐꯰０𐒠𐴰𐵀𑁦𑃰𑄶𑇐𑋰𑑐𑓐𑙐𑛀𑛐𑛚𑜰𑣠𑥐𑯰𑱐𑵐𑶠𑷠𑽐𖄰𖩠𖫀𖭐𖵰𜳰𝟎𝟘𝟢𝟬𝟶𞅀𞋰𞓰𞗱𞥐🯰](?:_?[0٠۰߀०০੦૦୦௦౦೦൦෦๐໐༠၀႐០᠐᥆᧐᪀᪐᭐᮰᱀᱐꘠꣐꤀꧐꧰꩐꯰０𐒠𐴰𐵀𑁦𑃰𑄶𑇐𑋰𑑐𑓐𑙐𑛀𑛐𑛚𑜰𑣠𑥐𑯰𑱐𑵐𑶠𑷠𑽐𖄰𖩠𖫀𖭐𖵰𜳰𝟎𝟘𝟢𝟬𝟶𞅀𞋰𞓰𞗱𞥐🯰])*(?:[\x09-\x0d\x20\x85\xa0  -   　]|[^\x00-‧‪-퟿-􏿿])*$/
| sort @timestamp desc
| limit 10000
