"""The catalogue of every message a run can say about its input, its options or the registry:
code -> (Korean template, English template). One table, so that every message has a code, and
both languages (tested: the same fields in both)."""

from __future__ import annotations

# code -> (Korean template, English template). Templates use str.format fields from Problem.params.
CATALOGUE: dict[str, tuple[str, str]] = {
    # YAML / questionnaire / policy
    "YML-001": ("YAML 문법 오류: {detail}", "YAML syntax error: {detail}"),
    "YML-002": ("같은 키 '{key}'가 두 번 있습니다 (처음: {first_line}행)",
                "duplicate key '{key}' (first at line {first_line})"),
    "YML-003": ("허용되지 않는 YAML 태그 {tag}: 일반 값만 쓸 수 있습니다",
                "YAML tag {tag} is not allowed: use plain values"),
    "YML-004": ("YAML이 너무 큽니다 (별칭 확장 {limit:,}개 노드 초과)",
                "YAML too large (more than {limit:,} nodes after alias expansion)"),
    "YML-005": ("파일이 비어 있거나 매핑(키: 값)이 아닙니다",
                "the file is empty or not a mapping (key: value)"),
    "YML-006": ("파일을 읽을 수 없습니다: {detail}", "cannot read the file: {detail}"),
    "YML-007": ("YAML이 너무 깊게 중첩되어 있습니다 (목록·매핑 {limit}단계 초과)",
                "YAML nested too deeply (more than {limit} levels of lists and mappings)"),
    "SCH-001": ("값 {shown}을(를) 여기에 쓸 수 없습니다 ({kind})", "the value {shown} is not valid here ({kind})"),
    "SCH-002": ("알 수 없는 키 '{key}'{hint}", "unknown key '{key}'{hint}"),
    "SCH-003": ("필수 키가 없습니다", "required key is missing"),
    # what pydantic found, in the user's terms (questionnaire.yamlsource.pydantic_problems)
    "SCH-004": ("값 {shown}의 형식이 맞지 않습니다 (필요한 형식: {expected})",
                "the value {shown} is not {expected}"),
    "SCH-005": ("값 {shown}이(가) 범위를 벗어났습니다 (허용 범위: {bound})",
                "the value {shown} is out of range: it must be {bound}"),
    "SCH-006": ("값 {shown}은(는) 쓸 수 없습니다. 가능한 값: {allowed}",
                "the value {shown} is not allowed. Allowed: {allowed}"),
    "SCH-007": ("값 {shown}이(가) 형식 {pattern}에 맞지 않습니다",
                "the value {shown} does not match the pattern {pattern}"),
    "SCH-008": ("항목이 {count}개입니다: 최소 {min}개가 필요합니다",
                "{count} item(s): at least {min} needed"),
    "SCH-009": ("값 {shown}이(가) 너무 짧습니다: 최소 {min}자가 필요합니다",
                "the value {shown} is too short: at least {min} character(s) needed"),
    "SCH-010": ("너무 깁니다: 최대 {max}개(자)까지입니다", "too long: at most {max} item(s) or character(s)"),
    "SCH-011": ("텍스트가 비어 있습니다: ko 또는 en 중 하나는 적으세요",
                "the text is empty: give it in ko or en"),
    "SCH-012": ("키 '{key}'이(가) 없습니다: 이 항목이 어떤 종류인지 정하는 키입니다",
                "the key '{key}' is missing: it says which kind of entry this is"),
    "SCH-013": ("키는 단순한 값이어야 합니다 (목록·매핑·빈 값은 키가 될 수 없습니다)",
                "a key must be a plain value (not a list, a mapping or empty)"),
    "QST-001": ("중복된 ID '{id}' (처음: {first})", "duplicate id '{id}' (first at {first})"),
    "QST-002": ("알 수 없는 척도 '{name}'{hint}", "unknown scale '{name}'{hint}"),
    "QST-003": ("알 수 없는 영역 '{name}'{hint}", "unknown area '{name}'{hint}"),
    "QST-004": ("알 수 없는 프로필 항목 '{name}'{hint}", "unknown profile field '{name}'{hint}"),
    "QST-005": ("영역 '{area}'에 지표가 없습니다", "area '{area}' has no indicator"),
    "QST-006": ("척도의 최대 점수가 0입니다: 0보다 커야 합니다",
                "the scale's max points is 0: it must be > 0"),
    "QST-007": ("pass_points {pass_points}에 도달할 수 없습니다 (최대 {max_points})",
                "pass_points {pass_points} cannot be reached (max points {max_points})"),
    "QST-008": ("응답값 '{value}'이(가) 척도 안에서 중복됩니다 ({other}와 같음)",
                "answer value '{value}' is not unique in the scale (same as {other})"),
    "QST-009": ("'scale'과 'answer' 중 정확히 하나를 지정해야 합니다",
                "give exactly one of 'scale' and 'answer'"),
    "QST-010": ("연산자 '{op}'에는 목록 값이 필요합니다", "operator '{op}' takes a list"),
    "QST-011": ("연산자 '{op}'에는 단일 값이 필요합니다", "operator '{op}' takes a single value"),
    "QST-012": ("영역 가중치는 모든 영역에 주거나 하나도 주지 않아야 합니다",
                "area weights: give a weight to every area or to none"),
    "QST-013": ("값 {value!r}이(가) 프로필 항목 '{name}'의 형식({type})과 맞지 않습니다",
                "value {value!r} does not fit profile field '{name}' of type {type}"),
    "QST-014": ("숫자 규칙에는 min 또는 max가 필요합니다", "a number rule needs min or max"),
    "QST-015": ("범위의 최솟값이 최댓값보다 큽니다", "range minimum is greater than its maximum"),
    "QST-016": ("알 수 없는 {kind} '{name}'. 사용 가능: {available}",
                "unknown {kind} '{name}'. Available: {available}"),
    "QST-017": ("등급 '{grade}'이(가) 중복됩니다", "grade '{grade}' is listed twice"),
    "QST-018": ("'{value}'은(는) 해당없음(N/A) 표기와 같아 응답값으로 쓸 수 없습니다",
                "'{value}' reads as N/A and cannot be an answer value"),
    # declared profile values (SPEC §2)
    "QST-020": ("값 목록(values)은 문자열(string) 프로필 항목에만 쓸 수 있습니다 ('{name}'은(는) {type})",
                "values can be declared only for a string profile field ('{name}' is {type})"),
    "QST-021": ("프로필 값 '{value}'이(가) 중복됩니다 ({other}와 같음)",
                "profile value '{value}' is not unique (same as {other})"),
    "QST-023": ("가중치×점수의 합이 너무 큽니다 (영역 {area}: {total}): 더 작은 수를 쓰세요",
                "the weights × points add up to too much (area {area}: {total}): use smaller numbers"),
    "QST-024": ("폴더에 질문지·정책 파일(.yaml, .yml)이 없습니다",
                "no questionnaire or policy file (.yaml, .yml) in the folder"),
    "QST-022": ("'{value}'은(는) 프로필 항목 '{name}'에 선언된 값이 아닙니다{hint}. 선언된 값: {allowed}",
                "'{value}' is not a declared value of profile field '{name}'{hint}. Declared: {allowed}"),
    "POL-001": ("인증서 번호 형식 {template}을(를) 읽을 수 없습니다: 중괄호의 짝이 맞지 않거나 필드의 "
                "형식 지정이 잘못되었습니다 (예: {{seq:03d}})",
                "invalid certificate number template {template}: unmatched braces or a bad format "
                "spec (e.g. {{seq:03d}})"),
    "POL-002": ("정책 '{policy}'은(는) 질문지 '{wanted}'용인데 '{used}'을(를) 쓰고 있습니다",
                "policy '{policy}' is for questionnaire '{wanted}', not '{used}'"),
    "POL-003": ("질문지에 없는 등급 '{grade}' (등급: {known})",
                "grade '{grade}' is not a grade of the questionnaire ({known})"),
    "POL-004": ("인증서 번호 형식 {template}: {{{field}}}의 형식 '{spec}'이(가) 너무 깁니다 "
                "(최대 {width}자, 중첩된 필드는 쓸 수 없습니다)",
                "certificate number template {template}: the format of {{{field}}} ('{spec}') is too "
                "wide (at most {width} characters, no nested fields)"),
    "POL-005": ("인증서 번호 형식 {template}에 알 수 없는 필드가 있습니다: {fields}. 쓸 수 있는 필드: {known}",
                "certificate number template {template} has unknown field(s) {fields}; the fields "
                "are {known}"),
    "POL-006": ("인증서 번호 형식 {template}에는 번호가 겹치지 않도록 {{seq}} 또는 {{supplier_id}}가 "
                "필요합니다",
                "certificate number template {template} needs {{seq}} or {{supplier_id}} to be unique"),
    "CRT-001": ("정책에 향상도 기준이 있어 사전 차수가 필요합니다",
                "the policy's improvement criterion needs a before round"),
    # What esg certify, certs, report, feedback and actions say (not problems of the input)
    "CRT-010": ("판정 {evaluated}개사 · 기준 충족 {qualified}개사 ({share}) · 신규 발급 {issued} · "
                "기존 {existing}",
                "evaluated {evaluated} · qualified {qualified} ({share}) · newly issued {issued} · "
                "existing {existing}"),
    "CRT-011": (" · 취소되어 발급 안 함 {revoked} (--reissue-revoked)",
                " · revoked, not re-issued {revoked} (--reissue-revoked)"),
    "CRT-012": (" · 모의 실행(기록 안 함)", " · dry run (nothing written)"),
    "CRT-013": (" · 레지스트리 {where}", " · registry {where}"),
    "CRT-014": ("인증서 문서 {written}개 작성 ({present}개는 이미 있음) → {folder}",
                "certificate documents: {written} written ({present} already there) → {folder}"),
    "CRT-015": ("사후 평가가 없어 판정하지 않은 협력사: {ids}", "Not evaluated (no after round): {ids}"),
    "CRT-016": ("주의: {supplier}은(는) 인증서 {number}을(를) 보유하지만 이번 판정에서 기준을 충족하지 "
                "못했습니다 (자동 취소하지 않음: esg certs revoke)",
                "note: {supplier} holds {number} but no longer qualifies (not revoked; use esg "
                "certs revoke)"),
    "CRT-017": (" (모의 실행)", " (dry run)"),
    "CRT-018": ("인증서 {number} ({supplier}) 취소 ({on}): {reason}",
                "revoked {number} ({supplier}) on {on}: {reason}"),
    "CRT-019": ("인증서 {count}건", "{count} certificate(s)"),
    "CRT-020": ("{source} → {target}: 인증서 {copied}건 복사, {updated}건 취소 반영, {unchanged}건 "
                "그대로 · 이벤트 {events_copied}건 복사, {events_unchanged}건 그대로",
                "{source} → {target}: certificates {copied} copied, {updated} revocations carried "
                "over, {unchanged} unchanged · events {events_copied} copied, {events_unchanged} "
                "unchanged"),
    "CRT-021": ("{number}: 일치", "{number}: OK"),
    "CRT-022": ("{number}: 불일치", "{number}: MISMATCH"),
    "CRT-023": ("부족 지표가 칸에 다 들어가지 않아 앞의 지표와 나머지 개수(+N)만 보입니다. 전체: "
                "--format json, --format csv 또는 -o",
                "the indicators still needed do not fit: the first ones are shown with a count of "
                "the rest (+N). Everything: --format json, --format csv or -o FILE"),
    "RPT-011": ("저장했습니다: {path} (결과서 {count}개)", "written: {path} ({count} pages)"),
    "RPT-012": ("사후 평가가 없어 과제를 만들지 않은 협력사: {ids}",
                "No actions for suppliers without an after round: {ids}"),
    "RPT-013": ("저장했습니다: {path} (과제 {actions}건, 협력사 {suppliers}개사)",
                "written: {path} ({actions} actions, {suppliers} suppliers)"),
    # Certificate registry (exit 4); {where} is a file path or a URL without its password
    "REG-001": ("{where}: 인증서 레지스트리가 아닙니다 ({detail})",
                "{where}: not a certificate registry ({detail})"),
    "REG-002": ("{where}: esgcli 레지스트리가 아닌 데이터베이스입니다",
                "{where}: a database that is not an esgcli registry"),
    "REG-003": ("{where}: 더 새로운 esgcli가 만든 레지스트리입니다 (스키마 {found} > {supported}). "
                "esgcli를 업데이트하세요",
                "{where}: made by a newer esgcli (schema {found} > {supported}); upgrade esgcli"),
    "REG-004": ("레지스트리가 없습니다: {where}", "no registry at {where}"),
    "REG-005": ("인증서 {number}이(가) 없습니다 ({where})", "no certificate {number} ({where})"),
    "REG-006": ("인증서 {number}은(는) 이미 취소되었습니다 ({on})",
                "certificate {number} is already revoked ({on})"),
    "REG-007": ("{where}: 다른 실행이 레지스트리를 잠그고 있습니다 ({detail})",
                "{where}: the registry is locked by another run ({detail})"),
    "REG-008": ("{where}: 레지스트리에 쓸 수 없습니다: {what}이(가) 읽기 전용입니다 ({detail})",
                "{where}: cannot write the registry: the {what_en} is read-only ({detail})"),
    "REG-009": ("{where}: 디스크가 가득 찼습니다: 아무것도 기록하지 않았습니다 ({detail})",
                "{where}: the disk is full: nothing was recorded ({detail})"),
    "REG-010": ("{where}: 레지스트리를 열 수 없습니다 ({detail})",
                "{where}: cannot open the registry ({detail})"),
    "REG-011": ("레지스트리 '{where}'은(는) 메모리 안에만 있어 아무것도 남지 않습니다: 파일 경로나 "
                "postgresql:// URL을 주세요",
                "registry '{where}' lives in memory and keeps nothing: give a file path or a "
                "postgresql:// URL"),
    "REG-012": ("{where}: 폴더입니다, 레지스트리 파일이 아닙니다", "{where}: is a folder, not a registry file"),
    "REG-013": ("PostgreSQL 레지스트리에는 psycopg가 필요합니다: pip install 'esgcli[postgres]'",
                "a PostgreSQL registry needs psycopg: pip install 'esgcli[postgres]'"),
    "REG-014": ("{where}: 서버 {host}에 연결할 수 없습니다 ({detail})",
                "{where}: cannot reach the server {host} ({detail})"),
    "REG-015": ("{where}: 서버 {host}이(가) 사용자 {user}의 인증을 거부했습니다 (암호 또는 pg_hba.conf 확인)",
                "{where}: the server {host} refused the credentials of user {user} (check the "
                "password or pg_hba.conf)"),
    "REG-016": ("{where}: 서버 {host}에 데이터베이스 {database}이(가) 없습니다",
                "{where}: the server {host} has no database {database}"),
    "REG-017": ("{where}: 권한이 없습니다: 이 역할은 읽기만 할 수 있습니다 (발급·취소·이전 불가, "
                "docs/registry.md 참조) ({detail})",
                "{where}: permission denied: this role may only read (it cannot issue, revoke or "
                "copy; see docs/registry.md) ({detail})"),
    "REG-018": ("{where}: 인증서 번호 {number}은(는) 이미 {holder}에 쓰였습니다: 정책의 번호 형식에 "
                "{{seq}} 또는 {{policy}}를 넣으세요",
                "{where}: certificate number {number} is already taken by {holder}: put {{seq}} or "
                "{{policy}} in the policy's number format"),
    "REG-019": ("{where}: 레지스트리 오류: {detail}", "{where}: registry error: {detail}"),
    "REG-020": ("{where}: 인증서 {number}이(가) 원본과 다릅니다 ({detail}): 복사하지 않았습니다",
                "{where}: certificate {number} differs from the source ({detail}): nothing copied"),
    "REG-021": ("지원하지 않는 레지스트리 URL '{where}': SQLite 파일 경로나 postgresql://…",
                "unsupported registry URL '{where}': an SQLite file path or postgresql://…"),
    "REG-023": ("{where}: 폴더 {folder}이(가) 없어 레지스트리를 만들지 않았습니다. 새 레지스트리는 "
                "인증서 번호를 0001부터 다시 매기므로, 경로를 확인하거나 폴더를 먼저 만드세요",
                "{where}: the folder {folder} does not exist, so no registry was made there (a new "
                "registry numbers certificates from 0001 again): check the path, or create the "
                "folder first"),
    "REG-022": ("{where}: 스키마 {found}은(는) 이 esgcli({supported})보다 오래되었습니다: 쓰기 권한이 있는 "
                "역할로 esg certify를 한 번 실행해 올리세요",
                "{where}: schema {found} is older than this esgcli ({supported}); run esg certify "
                "once with a role that may write, to upgrade it"),
    "DOC-001": ("인증서 문서 폴더 {folder}에 쓸 수 없습니다: {cause}. 아무것도 기록하지 않았습니다",
                "cannot write certificate documents to {folder}: {cause}. Nothing was recorded"),
    "DOC-002": ("인증서 문서 {path}을(를) 쓸 수 없습니다: {cause}. 인증서는 레지스트리에 기록되었습니다: "
                "다시 실행하면 빠진 문서만 씁니다",
                "cannot write the certificate document {path}: {cause}. The certificates are "
                "recorded in the registry: run again to write the missing documents"),
    # Workbook
    "WB-001": ("파일이 없습니다", "file not found"),
    "WB-002": ("엑셀 통합문서가 아닙니다 ({detail})", "not a workbook ({detail})"),
    "WB-003": ("암호로 보호된 통합문서입니다: 암호를 해제해 다시 저장하세요",
               "the workbook is password-protected: remove the password and save it again"),
    "WB-004": ("빈 파일입니다", "the file is empty"),
    "WB-005": ("시트 '{sheet}'이(가) 없습니다. 시트: {available}",
               "no sheet named '{sheet}'. Sheets: {available}"),
    "WB-006": ("처음 {rows}행 안에 협력사코드 열 머리글이 있는 시트가 없습니다. 인식하는 머리글: {headers}",
               "no sheet has a supplier id header in its first {rows} rows. Accepted headers: "
               "{headers}"),
    "WB-007": ("지원하지 않는 파일 형식 '{ext}' (xlsx, xlsm, xls, ods, csv)",
               "unsupported file type '{ext}' (xlsx, xlsm, xls, ods, csv)"),
    "WB-008": ("UTF-8로 읽을 수 없어 {encoding}로 읽었습니다",
               "not UTF-8; read as {encoding}"),
    "WB-009": ("통합문서가 너무 큽니다: {detail}", "workbook too large: {detail}"),
    "WB-011": ("숨은 시트 _esgcli 의 질문지 '{value}'은(는) 질문지 ID가 아닙니다: 통합문서는 ID만 "
               "지정할 수 있습니다 (-q 로 질문지를 지정하세요)",
               "the hidden sheet _esgcli names the questionnaire '{value}', which is not an id: a "
               "workbook may only name an id (give the questionnaire with -q)"),
    "WB-012": ("CSV {line}행에서 시작한 값의 따옴표가 올바르지 않습니다 ({detail}): 뒤의 행이 한 값으로 "
               "읽히지 않도록 따옴표를 고쳐 저장하세요",
               "the value starting on CSV line {line} is badly quoted ({detail}): fix the quotes, "
               "or the rows after it would be read as one value"),
    "WB-013": ("{what}이(가) 두 번 있습니다: 하나가 다른 하나를 덮어써 응답이 사라집니다. 엑셀에서 열어 "
               "다시 저장하세요",
               "{what} is given twice: one would replace the other and answers would be lost; "
               "open and save the file again in Excel"),
    "WB-016": ("셀 위치가 모호합니다 ({what}): 읽는 프로그램마다 셀을 다른 자리에 둘 수 있어 어떤 응답이 "
               "읽힐지 확실하지 않습니다. 엑셀에서 열어 다시 저장하세요",
               "where cells belong is ambiguous ({what}): readers may place them differently, so "
               "which answer is read is not certain; open and save the file again in Excel"),
    "WB-010": ("CSV 파일의 인코딩을 알 수 없습니다: UTF-8로 저장하세요",
               "cannot tell the CSV file's encoding: save it as UTF-8"),
    # How each sheet was read (`esg --debug`): the path, then why a faster one was not taken
    "RD-001": ("fastexcel로 시트 전체를 한 번에 읽었습니다", "read whole by fastexcel"),
    "RD-002": ("fastexcel로 {parts}개 부분으로 나눠 {threads}개 스레드에서 읽었습니다",
               "read by fastexcel in {parts} parts on {threads} threads"),
    "RD-003": ("calamine으로 읽었습니다", "read by calamine"),
    "RD-004": ("CSV로 읽었습니다 ({encoding})", "read as CSV ({encoding})"),
    "RD-005": ("명령이 시작되는 동안 두 번째 코어에서 미리 읽었습니다",
               "read ahead on a second core while the command started"),
    "RD-006": ("<dimension> {range}에 따라 배치했습니다", "placed by its <dimension> {range}"),
    "RD-007": ("모든 셀의 범위 {range}에 따라 배치했습니다 (<dimension>: {declared})",
               "placed by the extent of all its cells {range} (<dimension>: {declared})"),
    "RD-008": ("첫 행들의 범위({range})로 배치하고 부분마다 확인했습니다 (<dimension>: {declared})",
               "placed by the extent of its first rows ({range}), checked part by part "
               "(<dimension>: {declared})"),
    "RD-010": ("fastexcel이 설치되어 있지 않습니다", "fastexcel is not installed"),
    "RD-011": ("fastexcel이 파일을 열지 못했습니다: {detail}", "fastexcel could not open the file: {detail}"),
    "RD-012": ("통합문서 목록에서 시트의 XML 파트를 찾지 못했습니다",
               "the sheet's XML part is not listed in the workbook"),
    "RD-013": ("시트 XML {size} MB가 {limit} MB보다 작아 나눠 읽지 않았습니다",
               "not read in parts: the sheet's XML ({size} MB) is under {limit} MB"),
    "RD-014": ("코어가 하나뿐이라 나눠 읽지 않았습니다", "not read in parts: one core"),
    "RD-015": ("나눠 읽기를 그만두었습니다: {detail}", "the read in parts was given up: {detail}"),
    "RD-016": ("fastexcel이 읽은 크기({got})가 범위 {range}({want})와 다릅니다",
               "fastexcel read {got}, the range {range} holds {want}"),
    "RD-017": ("<dimension> {declared}이(가) 첫 행들의 셀({head})과 맞지 않습니다",
               "<dimension> {declared} disagrees with the cells of the first rows ({head})"),
    "RD-018": ("<dimension>이 없고 첫 행들에 셀 참조가 없습니다",
               "no <dimension> and no cell references in the first rows"),
    "RD-019": ("미리 읽기가 실패했습니다: {detail}", "the read ahead failed: {detail}"),
    "RD-020": ("나눠 읽지 않았습니다: 부분마다 복사할 다른 파트({copy} MB)가 시트 XML({size} MB)에 비해 큽니다",
               "not read in parts: the other parts each part copies ({copy} MB) are large next "
               "to the sheet's XML ({size} MB)"),
    "RD-021": ("오류값·수식·백분율 검사: 나눠 읽는 동안 XML에서 했습니다",
               "error values, formulas, percent formats: scanned in the XML as it streamed"),
    "RD-022": ("오류값·수식·백분율 검사: 읽은 뒤 시트 XML에서 했습니다",
               "error values, formulas, percent formats: scanned in the sheet's XML after the read"),
    "RD-023": ("오류값·수식·백분율 검사를 하지 않았습니다: {detail}",
               "error values, formulas, percent formats: not scanned: {detail}"),
    "RD-025": ("여러 파일 중 작은 파일이라 calamine으로 읽었습니다: 머리글이 같은 파일들과 한 번에 읽습니다",
               "a small file among many: read by calamine, to be read in one pass with the files "
               "that share its header"),
    "RD-024": ("셀 범위를 미리 검사하지 못했습니다: {detail}", "the cells' extent was not checked: {detail}"),
    # Layout
    "HDR-001": ("질문지의 지표 열이 없습니다: {ids}", "indicator columns missing: {ids}"),
    "HDR-002": ("프로필 열 '{name}'이(가) 없습니다 ({title})",
                "profile column '{name}' is missing ({title})"),
    "HDR-003": ("알 수 없는 열은 무시합니다: {headers}", "columns ignored: {headers}"),
    "HDR-004": ("'{name}' 열이 두 번 있습니다 ({first}열과 {second}열)",
                "column '{name}' appears twice (columns {first} and {second})"),
    "HDR-005": ("세로형(long) 시트에 협력사코드, 지표, 응답 열이 모두 필요합니다",
                "a long-layout sheet needs supplier id, indicator and answer columns"),
    # Rows and answers
    "ROW-001": ("협력사코드가 비어 있습니다", "the supplier id is empty"),
    "ROW-002": ("협력사 {supplier} (차수 {round}, 연도 {year})가 {first}행에도 있습니다",
                "supplier {supplier} (round {round}, year {year}) is also on row {first}"),
    "ROW-003": ("연도 '{value}'은(는) 정수가 아닙니다", "year '{value}' is not a whole number"),
    "ROW-004": ("프로필 '{name}' 값 '{value}'이(가) 형식({type})에 맞지 않습니다",
                "profile '{name}': '{value}' is not of type {type}"),
    "ROW-005": ("프로필 '{name}' 값이 비어 있습니다", "profile '{name}' is empty"),
    "PRF-001": ("{title} \"{value}\"은(는) 올바른 값이 아닙니다{hint}. 허용: {expected}",
                "{title} \"{value}\" is not a valid value{hint}. Allowed: {expected}"),
    "ROW-006": ("알 수 없는 지표 '{value}'{hint}", "unknown indicator '{value}'{hint}"),
    "ROW-007": ("지표 {indicator}의 응답이 {first}행에도 있습니다",
                "indicator {indicator} is also answered on row {first}"),
    "ANS-001": ("\"{value}\"은(는) 올바른 응답이 아닙니다{hint}. 허용: {expected}",
                "\"{value}\" is not an answer{hint}. Allowed: {expected}"),
    "ANS-002": ("이 지표는 해당없음(N/A)을 허용하지 않습니다. 허용: {expected}",
                "N/A is not allowed for this indicator. Allowed: {expected}"),
    "ANS-003": ("{value}은(는) 범위 [{low}, {high}] 밖입니다",
                "{value} is outside the range [{low}, {high}]"),
    "ANS-004": ("항목 '{item}'이(가) 두 번 있습니다", "item '{item}' is listed twice"),
    "ANS-005": ("'{none}'은(는) 다른 항목과 함께 쓸 수 없습니다",
                "'{none}' cannot be combined with other items"),
    "ANS-006": ("응답이 비어 있습니다 (이 질문지는 빈 응답을 허용하지 않습니다)",
                "the answer is blank (this questionnaire does not allow blanks)"),
    "ANS-007": ("해당되지 않는 지표의 응답은 무시합니다: \"{value}\"",
                "answer ignored, the indicator does not apply: \"{value}\""),
    "ANS-011": ("해당되지 않는 지표의 응답 {count:,}개를 무시합니다 (예: {cells} …)",
                "{count:,} answers ignored where the indicator does not apply (e.g. {cells} …)"),
    "ANS-008": ("숫자가 아닙니다: \"{value}\"", "not a number: \"{value}\""),
    "ANS-012": ("이 열의 응답 {count:,}개가 더 올바르지 않습니다 (예: {cells} …). 허용: {expected}",
                "{count:,} more answers in this column are not valid (e.g. {cells} …); "
                "allowed: {expected}"),
    "ANS-014": ("이 열의 셀 {count:,}개가 더 엑셀 오류 값이거나 값 없는 수식입니다 (예: {cells} …)",
                "{count:,} more cells in this column hold an Excel error value or a formula "
                "without its value (e.g. {cells} …)"),
    "ANS-013": ("이 열의 응답 {count:,}개가 더 비어 있습니다 (예: {cells} …)",
                "{count:,} more answers in this column are blank (e.g. {cells} …)"),
    "ANS-009": ("엑셀 오류 값 {value}은(는) 응답이 아닙니다. 값을 직접 입력하세요",
                "the Excel error value {value} is not an answer; type the answer in"),
    "ANS-010": ("수식 {value}의 계산 값이 저장되어 있지 않습니다. 엑셀에서 열어 다시 저장하거나 값을 직접 입력하세요",
                "the formula {value} was saved without its value; open and save the file in "
                "Excel (or type the value in)"),
    # Selection
    "SEL-001": ("차수 '{round}'이(가) 없습니다. 파일의 차수: {available}",
                "no round '{round}'. Rounds in the file: {available}"),
    "SEL-002": ("협력사 '{supplier}'이(가) 없습니다{hint}", "no supplier '{supplier}'{hint}"),
    "IMP-001": ("전·후 차수를 정할 수 없습니다 (파일의 차수: {rounds}). --before 와 --after 로 지정하세요",
                "cannot tell the before and after rounds (rounds in the file: {rounds}). "
                "Name them with --before and --after"),
    "IMP-002": ("차수 '{round}'에 같은 협력사가 여러 번 있습니다: {ids}. --year 로 한 해를 고르세요",
                "round '{round}' holds the same supplier more than once: {ids}. Pick one year "
                "with --year"),
    "IMP-003": ("질문지가 다릅니다: 전 {before}, 후 {after}. 공통 지표 {shared}개만 비교합니다",
                "the rounds use different questionnaires: before {before}, after {after}. "
                "Only the {shared} shared indicators are compared"),
    "IMP-004": ("지표 {indicator}의 정의가 전·후 사이에 바뀌었습니다 (바뀐 것: {fields}): 이 지표의 "
                "변화는 같은 기준으로 잰 값이 아닙니다",
                "indicator {indicator} is defined differently before and after ({fields} "
                "changed): its change is not measured on the same terms"),
    "RPT-001": ("연도에 따라 질문지 버전이 다릅니다 ({versions}): 사업 누적 성과는 정의가 다른 "
                "지표를 함께 합친 값입니다 (보고서에 표시)",
                "the years were scored with different questionnaire versions ({versions}): the "
                "program-to-date figure pools indicators whose definitions differ (flagged in "
                "the report)"),
    "RPT-002": ("{year}년에는 사전 차수({round})만 있습니다: {count}개사를 사전 진단 참여로 보고하며, "
                "전후 개선도는 없습니다",
                "{year} holds only the before round ({round}): its {count} suppliers are reported "
                "as diagnosed before, with no before/after figures"),
    "RPT-003": ("{year}년의 유일한 차수 {round}: 사전·사후 이름이 아닙니다. {count}개사를 사후 진단 "
                "참여로 보고합니다 (인증 판정과 같은 차수). 사전이면 차수 이름을 사전/사후로 적으세요",
                "{year}'s only round {round} is neither a before nor an after name: its {count} "
                "suppliers are reported as diagnosed after (the round certify judges). If it is "
                "the before round, name the rounds 사전/사후 (before/after)"),
    "RPT-004": ("{year}년의 파일들이 서로 다른 질문지로 채점되었습니다 ({files}). 한 해의 파일은 같은 질문지를 "
                "써야 합니다 (-q 하나로 읽거나, 버전이 다르면 사전·사후 파일 두 개만 주세요)",
                "the files of {year} were scored with different questionnaires ({files}). One "
                "year's files must use one questionnaire (read them with one -q, or give exactly "
                "two single-round files, before and after, when the versions differ)"),
    "RPT-005": ("--policy 없이 레지스트리의 인증서를 여러 정책에서 셌습니다: {policies}. 한 협력사는 "
                "한 번만 셉니다. 한 정책만 세려면 --policy 를 주세요",
                "without --policy, the registry's certificates were counted from several "
                "policies: {policies}. A supplier counts once. Give --policy to count one policy"),
    "SEL-003": ("{year}년 응답이 없습니다. 파일의 연도: {available}",
                "no answers for year {year}. Years in the file: {available}"),
    "SEL-004": ("연도가 비어 있습니다. 이 파일의 다른 행에는 연도가 있어, 이 응답이 어느 해의 응답인지 알 수 "
                "없습니다. 연도를 채우세요",
                "the year is blank while the file's other rows hold years: which year this answer "
                "belongs to cannot be told. Fill in the year"),
    "SEL-006": ("협력사 {supplier} (차수 {round}): 연도가 없는 이 파일의 응답을 {year}년으로 보면 {first_file} "
                "{first_row}행의 {year}년 응답과 겹칩니다. 연도를 채우거나 하나를 지우세요",
                "supplier {supplier} (round {round}): taken as {year}'s, this file's answer (it holds "
                "no year) is the same supplier and round as {first_file} row {first_row}, of "
                "{year}. Fill in the year or remove one"),
    "RPT-014": ("연도 열이 없는 파일 {count}개의 연도를 파일 이름에서 읽었습니다: {files}",
                "{count} file(s) hold no year: their year is read from the file name: {files}"),
    "RPT-015": ("{year}년: 첫 파일({first})의 차수 '{first_round}'은(는) 사후, 둘째 파일({second})의 "
                "차수 '{second_round}'은(는) 사전 이름입니다. 차수 이름대로 {second}을(를) 전(before), "
                "{first}을(를) 후(after)로 계산했습니다",
                "{year}: the first file ({first}) holds the after round '{first_round}' and the "
                "second ({second}) the before round '{second_round}': taken by their names, "
                "{second} as before and {first} as after"),
    "SEL-005": ("연도 열이 없는 파일 {count}개의 응답을 {year}년 응답으로 보았습니다: {files}",
                "{count} file(s) hold no year: their answers are taken as {year}'s: {files}"),
    # Many files (SPEC §12)
    "SRC-001": ("협력사 {supplier} (차수 {round}, 연도 {year})가 {first_file} {first_row}행에도 있습니다. "
                "하나를 지우거나 --on-duplicate latest 로 나중에 수정된 파일을 쓰세요",
                "supplier {supplier} (round {round}, year {year}) is also in {first_file} row "
                "{first_row}; remove one, or use --on-duplicate latest to keep the file modified last"),
    "SRC-002": ("협력사 {supplier} (차수 {round}, 연도 {year})가 {dropped} {dropped_row}행과 {kept} "
                "{kept_row}행에 있습니다: 나중에 수정된 {kept}의 응답을 씁니다",
                "supplier {supplier} (round {round}, year {year}) is in {dropped} row {dropped_row} "
                "and in {kept} row {kept_row}: the file modified last, {kept}, is used"),
    "SRC-003": ("파일마다 기록된 질문지가 다릅니다 ({detail}). -q 로 하나를 고르거나 파일을 나눠 읽으세요",
                "the files record different questionnaires ({detail}); pick one with -q or read "
                "them separately"),
    "SRC-004": ("폴더에 응답 파일({suffixes})이 없습니다", "no answer file ({suffixes}) in the folder"),
    "SRC-005": ("{made_for}용으로 만든 양식인데 질문지 파일이 바뀌었습니다 "
                "(지금 sha256 {sha}…). esg questionnaire diff 로 차이를 확인하세요",
                "made for {made_for}, and the questionnaire file has changed since "
                "(now sha256 {sha}…); see esg questionnaire diff"),
    "SRC-006": ("--skip-invalid: 오류가 있는 {count}건 제외: {ids}",
                "--skip-invalid: left out {count} record(s) with errors: {ids}"),
    "OUT-009": ("출력 파일 {path}은(는) 입력 폴더 {folder} 안에 있어 다음 실행 때 응답 파일로 "
                "읽힙니다. 폴더 밖에 쓰세요",
                "output {path} is inside the input folder {folder}, so the next run would read it "
                "as a reply; write it outside the folder"),
    # Campaign status (SPEC §12)
    "STA-001": ("차수 '{round}'인 응답이 없습니다 (응답의 차수: {available}): 모든 협력사가 미회신입니다",
                "no reply is for round '{round}' (rounds in the replies: {available}): every "
                "supplier is missing"),
    "STA-002": ("응답에 차수가 여럿 있습니다 ({rounds}): --round 로 하나를 고르세요",
                "the replies hold several rounds ({rounds}): choose one with --round"),
    "STA-003": ("{supplier}: 같은 차수·연도의 응답이 여러 파일에 있어 오류로 표시합니다 ({files}). 하나만 "
                "남기세요",
                "{supplier}: several replies for the same round and year ({files}), shown as "
                "invalid. Keep one"),
    "STA-004": ("같은 차수·연도의 응답이 여러 파일에 있습니다 ({files}): 중복은 오류입니다 (esg score 등도 이 "
                "폴더를 읽지 않습니다). 하나만 남기세요",
                "several replies for the same round and year ({files}): a duplicate is an error "
                "(esg score and the other commands refuse the folder too). Keep one"),
    "IMP-006": ("두 파일({first}, {second})의 내용이 같습니다: 모든 변화가 +0.0입니다. 전·후 파일을 "
                "확인하세요",
                "the two files ({first}, {second}) hold the same bytes: every change is +0.0; "
                "check the before and after files"),
    "IMP-005": ("첫 파일({first})의 차수 '{first_round}'은(는) 사후, 둘째 파일({second})의 차수 "
                "'{second_round}'은(는) 사전 이름입니다. 첫 파일을 전(before)으로 계산했습니다: "
                "순서가 바뀌었다면 esg improve {second} {first}",
                "the first file ({first}) has the after round '{first_round}' and the second "
                "({second}) the before round '{second_round}'; the first file was taken as before: "
                "if they are swapped, run esg improve {second} {first}"),
    "CRT-002": ("--year 없이 응답의 연도 {year}년을 판정합니다", "no --year: judging the records' year, {year}"),
    # Validation verdicts and checks of YAML files
    "VAL-001": ("✓ {file}: 문제없음 (협력사 {suppliers}개사, 차수 {n_rounds}개: {rounds})",
                "✓ {file}: no problems ({suppliers} suppliers, {n_rounds} round(s): {rounds})"),
    "VAL-002": ("✓ {file}: 오류 없음, 경고 {warnings}개 (협력사 {suppliers}개사, 차수 {n_rounds}개: {rounds})",
                "✓ {file}: no errors, {warnings} warning(s) ({suppliers} suppliers, "
                "{n_rounds} round(s): {rounds})"),
    "VAL-003": ("✗ {file}: {count}", "✗ {file}: {count}"),
    "VAL-004": ("✓ {file}: 문제없음 (협력사 {suppliers}개사, 차수 1개: 차수 이름 없음 — 차수 열이 없거나 비어 있음)",
                "✓ {file}: no problems ({suppliers} suppliers, 1 round, unnamed: no round column, "
                "or its cells are blank)"),
    "VAL-005": ("✓ {file}: 오류 없음, 경고 {warnings}개 (협력사 {suppliers}개사, 차수 1개: 차수 이름 없음 — "
                "차수 열이 없거나 비어 있음)",
                "✓ {file}: no errors, {warnings} warning(s) ({suppliers} suppliers, 1 round, unnamed: "
                "no round column, or its cells are blank)"),
    "CHK-001": ("✓ {file}: 올바른 질문지 ({id} {version}, 지표 {indicators}개)",
                "✓ {file}: valid questionnaire ({id} {version}, {indicators} indicators)"),
    "CHK-002": ("✓ {file}: 올바른 정책 ({id} {version}, 질문지 {questionnaire})",
                "✓ {file}: valid policy ({id} {version}, for questionnaire {questionnaire})"),
    "CHK-003": ("형식 '{format}'을(를) 알 수 없습니다: format 은 esg-questionnaire/1 또는 esg-policy/1 이어야 합니다",
                "unknown format '{format}': format must be esg-questionnaire/1 or esg-policy/1"),
    "OUT-001": ("출력 파일 {path}이(가) 입력 파일입니다: 입력 파일은 덮어쓰지 않습니다",
                "output {path} is an input file: inputs are never overwritten"),
    "TBL-001": ("터미널이 좁아 다음 열을 생략했습니다: {columns}. 전체: --format csv 또는 -o 파일",
                "the terminal is too narrow for these columns, left out: {columns}. Everything: "
                "--format csv or -o FILE"),
    "OUT-002": ("지원하지 않는 출력 형식 '{ext}' (가능: {allowed})",
                "unsupported output type '{ext}' (allowed: {allowed})"),
    "OUT-003": ("출력 경로 {path}은(는) 폴더입니다: 파일 이름을 주세요",
                "the output {path} is a folder: give a file name"),
    "OUT-004": ("출력 경로 {path}에 쓸 수 없습니다: {parent}은(는) 폴더가 아닙니다",
                "cannot write {path}: {parent} is not a folder"),
    "OUT-005": ("{path}에 쓸 수 없습니다: {detail}. 아무것도 쓰지 않았습니다",
                "cannot write {path}: {detail}; nothing was written"),
    "OUT-006": ("{path}은(는) 인증서 레지스트리(SQLite)입니다: -o 로 덮어쓰지 않습니다. 다른 이름을 "
                "주세요 (꼭 바꾸려면 --force)",
                "{path} is a certificate registry (SQLite): -o never replaces it; give another "
                "name (or --force)"),
    "OUT-007": ("{path}에 응답이 있습니다 (시트 '{sheet}', 협력사 행 {rows:,}개 이상): 덮어쓰지 "
                "않습니다. 다른 이름을 주세요 (꼭 바꾸려면 --force)",
                "{path} holds answers (sheet '{sheet}', at least {rows:,} supplier row(s)): it is "
                "not replaced; give another name (or --force)"),
    "OUT-008": ("표준 출력에 쓸 수 없습니다: {detail}", "cannot write to standard output: {detail}"),
    # The command line's own messages (cli/emit.py, cli/main.py, cli/lang.py, cli/render.py)
    "OUT-010": ("이 명령은 --format {format} 으로 출력하지 않습니다 (가능: {allowed})",
                "this command does not print --format {format} (allowed: {allowed})"),
    "OUT-011": ("이 명령은 -o 파일로 쓰지 않습니다", "this command does not write -o files"),
    "OUT-012": ("저장했습니다: {path}", "written: {path}"),
    "CLI-001": ("질문지: {id} {version} ({where})", "questionnaire: {id} {version} ({where})"),
    "CLI-003": ("… {count}건 더 있습니다. 전체: -o scores.xlsx 또는 --format csv",
                "… {count} more. Everything: -o scores.xlsx or --format csv"),
    "CLI-004": ("-q 는 한 번, 또는 두 경로(전, 후)에 하나씩 줄 수 있습니다",
                "give -q once, or once for each of two PATHs (before, after)"),
    "CLI-005": ("저장했습니다: {path} ({id} {version}, 지표 {indicators}개, 협력사 {suppliers}개사)",
                "written: {path} ({id} {version}, {indicators} indicators, {suppliers} suppliers)"),
    "CLI-006": ("입력 오류로 중단했습니다: {count}", "stopped on invalid input: {count}"),
    "CLI-007": ("오류: {text}", "error: {text}"),
    "CLI-008": ("예기치 않은 오류 / unexpected error: {name}: {detail}\n"
                "--debug 로 다시 실행하면 자세한 정보가 나옵니다 / run again with --debug for details",
                "예기치 않은 오류 / unexpected error: {name}: {detail}\n"
                "--debug 로 다시 실행하면 자세한 정보가 나옵니다 / run again with --debug for details"),
    "CLI-009": ("오류: {text}", "Error: {text}"),
    "CLI-010": ("… {count}개 더 ({rest}). 전체 목록: esg validate",
                "… {count} more ({rest}). Full list: esg validate"),
    "CLI-011": ("오류 {errors}개, 경고 {warnings}개", "{errors} error(s), {warnings} warning(s)"),
    # Usage (exit 2): option combinations and values a command cannot serve
    "TPL-001": ("--per-supplier 에는 --suppliers 목록과 -o 폴더가 필요합니다",
                "--per-supplier needs --suppliers LIST and -o DIR"),
    "TPL-002": ("-o {path}은(는) 파일입니다: --per-supplier 는 폴더에 씁니다",
                "-o {path} is a file: --per-supplier writes into a folder"),
    "TPL-003": ("이미 있는 파일 {count}개는 덮어쓰지 않습니다: {files}. 바꾸려면 --force 를 주세요",
                "{count} file(s) already exist and are not replaced: {files}. Use --force to "
                "replace them"),
    "TPL-005": ("--prefill 에는 --suppliers 목록이 필요합니다", "--prefill needs the --suppliers list"),
    "TPL-006": ("이전 응답으로 채웠습니다: 협력사 {filled}개, 응답 {answers}개 ({sources}). 올바르지 "
                "않았던 응답 {invalid}개는 비워 두었습니다. 이전 응답이 없는 협력사 {without}개{names}",
                "prefilled from earlier answers: {filled} suppliers, {answers} answers ({sources}); "
                "{invalid} answers that were not valid are left blank; {without} suppliers have no "
                "earlier answers{names}"),
    "TPL-004": ("저장했습니다: {folder} (협력사별 응답 양식 {count}개, {questionnaire})",
                "written: {folder} ({count} per-supplier workbooks, {questionnaire})"),
    "USE-001": ("--before 와 --after 를 함께 지정하세요", "give --before and --after together"),
    "USE-002": ("--detail 은 JSON·CSV·파일(-o) 출력에 지표별 결과를 더합니다. 화면에서는 "
                "--explain 협력사코드 로 한 협력사의 지표별 결과를 보세요",
                "--detail adds every indicator to JSON, CSV and -o output; on the terminal use "
                "--explain SUPPLIER_ID to see one supplier indicator by indicator"),
    "USE-003": ("--dry-run 은 아무것도 쓰지 않으므로 --documents 와 함께 쓸 수 없습니다",
                "--dry-run writes nothing, so it cannot be combined with --documents"),
    "USE-004": ("--round 와 --after 는 판정할 차수를 가리킵니다: 하나만 지정하세요",
                "--round and --after both name the round to judge: give one of them"),
    "USE-005": ("응답에 연도가 여러 개입니다 ({years}): --year 로 하나를 고르세요",
                "the records hold several years ({years}): pick one with --year"),
    "USE-006": ("응답에 연도가 없습니다: --year 로 인증 연도를 지정하세요",
                "the records have no year: give the certificates' year with --year"),
    "USE-020": ("날짜 {text}은(는) {low}~{high} 범위 밖입니다", "the date {text} is outside {low} to {high}"),
    "USE-007": ("날짜 형식이 아닙니다: {text} (YYYY-MM-DD)", "not a date: {text} (YYYY-MM-DD)"),
    "USE-008": ("--explain 의 -o 출력은 .json 또는 .csv 입니다 (가능: {allowed})",
                "--explain writes -o as .json or .csv (allowed: {allowed})"),
    "USE-010": ("필수 옵션 {name}이(가) 없습니다", "Missing option {name}."),
    "USE-011": ("필수 인수 {name}이(가) 없습니다", "Missing argument {name}."),
    "USE-012": ("알 수 없는 옵션: {name}{hint}", "No such option: {name}{hint}"),
    "USE-013": ("{name} 값이 올바르지 않습니다: {detail}", "Invalid value for {name}: {detail}"),
    "USE-014": ("{value}은(는) {choices} 중 하나가 아닙니다", "{value} is not one of {choices}."),
    "USE-015": ("정수가 아닙니다", "not a whole number"),
    "USE-016": ("옵션 '{name}'에 값이 필요합니다", "Option '{name}' requires an argument."),
    "USE-017": ("필요 없는 인수가 있습니다 ({args})", "Got unexpected extra argument(s) ({args})"),
    "USE-018": ("알 수 없는 명령 '{name}'{hint}", "No such command '{name}'{hint}"),
    "USE-019": ("도움말: {command}", "Try '{command}' for help."),
    # Feedback and corrective action plans (SPEC §13)
    "PLN-001": ("개선과제 시트가 없습니다: 첫 행에 협력사코드, 지표, 상태 열 머리글이 있는 시트가 필요합니다",
                "no action plan sheet: a sheet whose first row has supplier_id, indicator and "
                "status headers is needed"),
    "PLN-002": ("\"{value}\"은(는) 상태가 아닙니다. 허용: 미착수, 진행중, 완료, 보류 "
                "(not_started, in_progress, done, on_hold)",
                "\"{value}\" is not a status. Allowed: not_started, in_progress, done, on_hold "
                "(미착수, 진행중, 완료, 보류)"),
    "PLN-003": ("\"{value}\"은(는) 날짜가 아닙니다. YYYY-MM-DD 형식으로 입력하세요",
                "\"{value}\" is not a date. Type it as YYYY-MM-DD"),
    "PLN-004": ("협력사 {supplier}의 지표 {indicator} 과제가 {first}행에도 있습니다",
                "the action for supplier {supplier}, indicator {indicator} is also on row {first}"),
    "PLN-005": ("후속 평가 차수 '{round}'이(가) 개선과제를 만든 차수와 같습니다: 완료 과제의 검증에는 "
                "이후 차수의 응답이 필요합니다",
                "the follow-up round '{round}' is the round the plan was made from: verifying "
                "done actions needs the answers of a later round"),
    "USE-041": ("{command} 는 표 또는 JSON 으로 출력합니다 (--format table|json)",
                "{command} prints a table or JSON (--format table|json)"),
    "USE-042": ("-o 는 폴더여야 합니다: {path}", "-o must be a folder: {path}"),
    "USE-043": ("{path}에 이미 개선과제가 있습니다 (담당자·상태 입력 포함). 바꾸려면 --force 를 주세요",
                "{path} already holds an action plan (with the operator's edits); give --force "
                "to replace it"),
    "USE-044": ("--before 와 --after 가 같은 차수 '{round}'입니다: 전·후는 서로 다른 차수여야 합니다",
                "--before and --after name the same round '{round}': before and after must differ"),
    "FBK-001": ("차수 '{round}'의 협력사가 {count}개사로 5개사 미만이어서 평균과 백분위를 표시하지 않습니다",
                "round '{round}' has {count} supplier(s), fewer than 5: the cohort mean and "
                "percentile are not shown"),
    "FBK-002": ("협력사 {count}개사({ids})는 여러 정책({policies})의 인증서가 있어 각 결과서에 가장 최근 것을 "
                "정책과 함께 보였습니다. 한 정책만 보려면 --policy 를 주세요",
                "{count} supplier(s) ({ids}) hold certificates of several policies ({policies}): "
                "each page shows the latest, with its policy. Give --policy to show one policy's"),
    "USE-045": ("환경 변수 ESG_LANG의 값 '{value}'은(는) 언어가 아닙니다. 가능한 값: ko, en (대소문자 "
                "무관, ko_KR.UTF-8 같은 로캘 이름도 가능). --lang 을 주면 --lang 을 따릅니다",
                "the environment variable ESG_LANG is '{value}', which is no language. Accepted: "
                "ko, en (any case; a locale name such as en_US.UTF-8 works too). --lang, when "
                "given, wins"),
    # -o never makes a tree of folders from a mistyped name (#12 review)
    "OUT-013": ("폴더 {folder}이(가) 없어 {path}을(를) 쓰지 않았습니다. 폴더 이름을 확인하거나 "
                "먼저 만드세요",
                "the folder {folder} does not exist, so {path} was not written: check its name, "
                "or create it first"),
    "OUT-014": ("폴더 {parent}이(가) 없어 {path} 폴더를 만들지 않았습니다. 이름을 확인하거나 "
                "{parent}을(를) 먼저 만드세요",
                "the folder {parent} does not exist, so the folder {path} was not made: check "
                "the name, or create {parent} first"),
}
