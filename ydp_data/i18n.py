"""Korean/English labels: Korean first, as the report writes them; English with the Korean name kept beside.

`translate` is for the dashboard's own words (titles, captions, axis titles); `name` is for the report's
names (teams, programs, measures), which in English keep the Korean beside: 'Job Plus Center (일자리플러스센터)'.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import plotly.graph_objects as go

from ydp_data.filters import LANGUAGES
from ydp_data.safe_text import plot

LANGS: tuple[str, ...] = LANGUAGES
ENGLISH = "English"

UNITS: dict[str, str] = {
    "천원": "KRW 1,000", "백만원": "KRW 1M", "억원": "KRW 100M", "원": "KRW", "만원": "KRW 10,000", "명": "persons", "회": "times",
    "건": "cases", "개소": "sites", "개": "units", "가구": "households", "개 분과": "subcommittees",
    "개 부서": "departments", "개 사업": "projects", "시간": "hours", "일": "days", "세": "years of age",
    "년": "years", "월": "month", "㎡": "㎡", "%": "%",
}

NAMES: dict[str, str] = {
    # teams, sources, unit programs, programs
    "일자리사업팀": "Jobs Programs Team", "상생기업팀": "Social Economy Team", "청년지원팀": "Youth Support Team",
    "국비": "National", "시비": "Seoul City", "구비": "District",
    "희망이 되는 안정적인 일자리지원": "Stable jobs that give hope", "지역일자리사업 지원": "Local job programmes",
    "사회적경제 활성화": "Social economy", "청년의 행복한 사회진입 환경조성": "Youth entry into society",
    "인력운영비": "Staff costs", "기본경비": "Basic expenses",
    "고용기회 확대로 지속가능한 일자리 지원": "Sustainable jobs through more employment opportunities",
    "공공분야 일자리 창출을 통한 고용안정 지원": "Employment stability through public-sector jobs",
    "상생기업 자립 기반 지원": "Self-reliance of social enterprises",
    "청년 커뮤니티 활성화 지원": "Youth community support",
    "수요자 맞춤형 취·창업 교육 과정 운영": "Customised job and start-up training",
    "4차산업 분야 등 다양한 청년취업 지원 활성화": "Youth employment in 4th-industry fields",
    # series
    "예산액": "Budget", "집행액": "Executed", "목표": "Target", "실적": "Actual", "계획": "Plan",
    "직전 보고": "Previous report", "이번 보고": "This report", "직전 집행액": "Executed, previous report",
    "정원": "Authorised posts", "현원": "Staff in post", "집행률": "Execution rate",
    # Job Plus Center and targets
    "일자리플러스센터": "Job Plus Center", "구인업체": "Employers", "구인인원": "Openings", "구직자": "Job seekers",
    "취업알선": "Referrals", "취업자": "Employed", "취업률": "Employment rate",
    "2023년 영등포 일자리 목표관리제": "2023 Yeongdeungpo job targets", "고용률": "Employment-to-population ratio",
    "취업자수": "Persons employed", "일자리 창출수": "Jobs created", "대표 실천과제 부서 수": "Departments with key tasks",
    "대표 실천과제 사업 수": "Key task projects", "민선8기 4개년 종합계획": "Four-year plan of the 8th elected term",
    "종합계획 기간": "Plan period", "구인·구직 만남의 날 JOB 포유": "JOB 포유 job-matching days", "개최": "Events",
    "등록": "Registered", "채용": "Hired",
    # public-sector jobs
    "공공분야 일자리(전체)": "Public-sector jobs (all)", "목표인원": "Target persons", "선발인원": "Persons selected",
    "동행일자리": "Donghaeng jobs", "지역공동체일자리": "Community jobs", "청년드림나래": "Youth Dream Narae",
    "예산": "Budget", "재원비율": "Funding ratio", "시급": "Hourly wage", "공공일자리": "Public jobs",
    "청년일자리": "Youth jobs", "선발대상": "Eligibility", "선발요건": "Selection criteria", "근로시간": "Working hours",
    "선발대상 최저연령": "Minimum age", "선발요건 재산 상한": "Asset ceiling",
    "선발요건 소득 상한(기준중위소득 대비)": "Income ceiling (share of median income)",
    "1일 근로시간(최소)": "Daily hours (min)", "1일 근로시간(최대)": "Daily hours (max)", "주 근무일수": "Days a week",
    "65세 이상 1일 근로시간": "Daily hours, 65 and over", "단축근로 적용 연령": "Age for shorter hours",
    # social economy
    "지원기업": "Firms supported", "지원액": "Grant amount", "일자리창출사업(일반인력)": "Job creation (general staff)",
    "전문인력 지원사업": "Professional staff", "사회보험료 지원사업": "Social insurance",
    "사업개발비 지원사업": "Business development", "지역특화사업": "Local special projects",
    "국·시비 보조금 확보": "National/city grants won", "공공구매 활성화": "Public procurement",
    "구매 실적": "Purchases", "목표액": "Target amount", "목표 대비 달성률": "Achievement rate",
    "스튜디오 영원": "Studio 영원", "사회적경제지원센터": "Social Economy Support Centre",
    "시설 대관 및 미디어 장비 지원 건수": "Rentals and equipment loans",
    "시설 대관 및 미디어 장비 지원 인원": "Rental and equipment users", "미디어 장비 교육 횟수": "Media classes",
    "미디어 장비 교육 인원": "Media class participants", "맞춤형 컨설팅": "Consultations", "현장방문": "Site visits",
    "간담회 및 워크숍": "Meetings and workshops", "중장년 대상 사회적경제 교육": "Social-economy class, middle-aged",
    "뉴스레터 발간": "Newsletters",
    # youth
    "서울청년센터 영등포 오랑": "Seoul Youth Center Yeongdeungpo 오랑", "이용인원": "Visitors",
    "일 평균 이용인원": "Daily average visitors", "시설대관 횟수": "Room rentals", "시설대관 인원": "Rental users",
    "프로그램 운영 횟수": "Programme sessions", "취업 역량강화교육": "Job-skills classes",
    "원데이 인기강좌": "One-day classes", "커뮤니티 지원": "Community support", "기타": "Other",
    "SNS 채널 구독자": "Social media followers", "인스타그램": "Instagram", "블로그": "Blog",
    "카카오플러스": "KakaoTalk Plus", "영등포청년네트워크": "Yeongdeungpo Youth Network", "구성 현원": "Members",
    "위원장": "Chair", "부위원장": "Vice-chairs", "분과 구성": "Subcommittees", "분과회의": "Subcommittee meetings",
    "정책아카데미 교육": "Policy academy classes", "청년건축학교": "Youth Building School",
    "정규교육 횟수": "Regular courses", "정규교육 인원": "Regular course trainees", "도배기능사": "Wallpapering",
    "타일기능사": "Tiling", "현장실무교육": "On-site practice", "청년건축학교 사회공헌활동": "Building School volunteering",
    "취약계층 집수리 지원": "Home repairs for vulnerable households", "청년건축학교 성과": "Building School outcomes",
    "취업": "Employed", "창업": "Started a business", "자격증취득": "Certificates",
    "청년건축학교 주거관리플랫폼": "Building School housing platform", "주거관리플랫폼 시공완료": "Repairs completed",
    "사업대상": "Target group", "대상 연령 상한": "Maximum age", "참여인원": "Participants",
    "메타버스 플랫폼 내 취업특강": "Job talks on the metaverse platform", "교육 횟수": "Sessions",
    "디지털 마케팅 도전 1기": "Digital marketing Challenge, cohort 1",
    "디지털 마케팅 도전+ 1기": "Digital marketing Challenge+, cohort 1",
    "디지털 마케팅 도전 2~3기": "Digital marketing Challenge, cohorts 2-3",
    "디지털 마케팅 도전+ 2~3기": "Digital marketing Challenge+, cohorts 2-3",
    # training
    "교육인원": "Trainees", "시설관리 분야": "Facility management", "자격증 취득 분야": "Certificates",
    "전문기술 분야": "Technical skills", "창업지원 분야": "Start-up support",
    # facilities
    "노동자종합지원센터": "Workers' Support Centre", "중장년 일자리희망플랫폼": "Middle-aged Jobs Hope Platform",
}

UI: dict[str, str] = {
    "일자리정책과 한눈에 보기": "Jobs Policy Division at a glance",
    "영등포구 일자리정책과의 예산과 집행, 팀·재원·사업별 집행률을 보고서 기준일의 연중 경과율과 함께 봅니다.":
        "The division's budget and spending, and execution by team, funding source and programme, against the share "
        "of the year elapsed at the report date.",
    "연중 경과율": "Year elapsed", "예산액 과 전체": "Budget, division", "집행액 과 전체": "Executed, division",
    "예산액 주요사업": "Budget, main programmes", "집행액 주요사업": "Executed, main programmes",
    "집행률 (주요사업)": "Execution rate (main programmes)", "기준일까지 지난 날 ÷ 그해의 날 수":
        "Days elapsed to the report date ÷ days in the year",
    "단위사업별 예산 집행": "Spending by unit programme", "팀별·재원별 주요사업 예산": "Main programmes by team and source",
    "Ⅱ·Ⅲ장의 여섯 개 주요사업 예산을 팀과 재원(국비·시비·구비)으로 나눠 봅니다.":
        "The six main programmes of chapters Ⅱ and Ⅲ, by team and by funding source (national, city, district).",
    "사업별 집행률과 연중 경과율": "Execution rate by programme against the year elapsed",
    "선택한 팀·재원의 주요사업": "Main programmes of the chosen teams and sources",
    "단위사업별 예산액·집행액": "Budget and spending by unit programme", "팀별 예산액·집행액": "Budget and spending by team",
    "재원별 예산액·집행액": "Budget and spending by funding source",
    "주요사업별 예산액의 재원 구성": "Funding sources of each main programme's budget",
    "주요사업별 집행률": "Execution rate by main programme",
    "주요사업별 집행률과 연중 경과율": "Execution rate by main programme against the year elapsed", "연중 경과율 ": "Year elapsed ",
    "사업비와 성과": "Cost and results",
    "각 사업의 예산액과 집행액을 보고서가 밝힌 실적(기준일까지 누계)으로 나눈 값입니다. 보고서의 예산을 보고서의 실적으로 나눈 "
    "것일 뿐, 사업의 효율을 평가한 값이 아닙니다. 실적의 단위(명, 개소)가 다른 사업은 따로 그립니다.":
        "Each programme's budget and spending divided by the results the report gives (to the report date). It is the "
        "report's budget over its reported results, not a judgement of efficiency. Programmes whose results are counted "
        "in different units (persons, sites) are drawn apart.",
    "성과 1단위당 예산액·집행액": "Budget and spending per reported result",
    "일자리: 고용기회와 맞춤형 교육": "Jobs: employment opportunities and customised training",
    "일자리사업팀의 일자리플러스센터 구인·구직 연계, 2023년 일자리 목표, 구인·구직 만남의 날과 맞춤형 취·창업 교육의 실적입니다.":
        "The Jobs Programmes Team: Job Plus Center matching, the 2023 job targets, job-matching days and customised "
        "training.",
    "일자리플러스센터 운영 실적": "Job Plus Center results", "2023년 영등포 일자리 목표": "2023 Yeongdeungpo job targets",
    "구인·구직 만남의 날 JOB 포유": "JOB 포유 job-matching days", "분야별 교육인원": "Trainees by field",
    "JOB 포유 개최·등록·채용": "JOB 포유 events, registrations, hires",
    "맞춤형 취·창업 교육 분야별 교육인원": "Customised training: trainees by field",
    "공공분야 일자리": "Public-sector jobs",
    "동행일자리·지역공동체일자리·청년드림나래의 상반기 선발인원과 하반기 목표, 세부사업별 재원 구성과 임금 기준입니다.":
        "Donghaeng, community and Youth Dream Narae jobs: first-half selections against second-half targets, funding "
        "of each sub-programme and wage levels.",
    "주요사업별 예산의 재원 구성": "Funding sources of each main programme's budget",
    "주요사업별 예산·집행 표 (보고서 표기 집행률 포함)": "Budget and spending by main programme (table, with the report's rates)", "세부사업": "Sub-programmes",
    "사업별 지원기업": "Firms supported per scheme", "오랑 SNS 채널": "오랑 social media channels",
    "오랑 이용 실적 표 (기간·출처)": "오랑 use, as a table (period, source)",
    "직급별 정원·현원 표 (보고서 과부족 포함)": "Staffing by grade, as a table (with the report's surplus/shortfall)",
    "향후계획 전체 목록 (내용·시기)": "All planned activities (content, timing)",
    "브리핑 내려받기 (HTML · PDF)": "Download the briefing (HTML · PDF)",
    "선발인원과 목표인원": "Selected against targets", "세부사업별 예산과 재원비율": "Budget and funding ratio by sub-programme",
    "임금 기준과 참여 조건": "Wages and conditions", "상반기 선발인원 (연간 목표 대비)": "First-half selections (against the annual target)",
    "세부사업별 예산의 재원 구성 (보고서 백만원 단위)": "Funding of each sub-programme's budget (report in KRW 1M)",
    "시급 기준 (2023년)": "Hourly wage (2023)",
    "보고서 불일치: {description} — 보고서 {expected}명, 상반기 선발 + 하반기 목표 {computed}명 ({source})":
        "Discrepancy in the report: {description} — report {expected}, first-half selected + second-half target "
        "{computed} ({source})",
    "보고서 불일치: 세부사업 예산의 합 {computed}천원이 Ⅱ-2 예산액 {expected}천원과 다릅니다 ({source}).":
        "Discrepancy in the report: the sub-programme budgets add up to KRW {computed} thousand, not the Ⅱ-2 budget of "
        "KRW {expected} thousand ({source}).",
    "상생기업: 사회적경제 지원": "Social economy",
    "상생기업 재정지원(사업별 지원기업·재원별 지원액), 공공구매 실적, 스튜디오 영원과 사회적경제지원센터 운영 실적입니다.":
        "Grants to social enterprises (firms per scheme, amounts per source), public procurement, Studio 영원 and the "
        "Social Economy Support Centre.",
    "상생기업 재정지원": "Grants to social enterprises", "공공구매 활성화와 특화사업": "Public procurement and special projects",
    "스튜디오 영원 · 사회적경제지원센터": "Studio 영원 · Social Economy Support Centre",
    "사업별 지원액의 재원 구성 (보고서 백만원 단위)": "Funding of each scheme's grants (report in KRW 1M)",
    "사업별 지원기업 수": "Firms supported per scheme",
    "공공구매 실적과 목표액, 특화사업 보조금 확보": "Procurement against target, special-project grants",
    "스튜디오 영원과 사회적경제지원센터 실적": "Studio 영원 and the centre in numbers",
    "보고서 달성률 {stated}%, 실적 ÷ 목표로 계산하면 {computed}%.":
        "The report says {stated}% achieved; purchases ÷ target gives {computed}%.",
    "청년: 커뮤니티와 취업 지원": "Youth: community and employment",
    "서울청년센터 영등포 오랑 이용, SNS 채널, 청년네트워크, 청년건축학교, 4차산업 분야 청년 교육의 실적입니다.":
        "Use of the youth centre 오랑, its social media, the youth network, the building school and 4th-industry "
        "training.",
    "영등포청년네트워크": "Yeongdeungpo Youth Network", "영등포 청년건축학교": "Yeongdeungpo Youth Building School",
    "4차산업 분야 청년 프로그램 참여인원": "Participants in 4th-industry youth programmes",
    "청년건축학교 정규교육 과정별 인원": "Building School trainees by course",
    "프로그램별 참여인원 (실적·계획)": "Participants by programme (actual, planned)",
    "오랑 프로그램 유형별 운영 횟수": "오랑 programme sessions by type",
    "일반현황: 조직·인력·시설": "General status: organisation, staff and facilities",
    "직급별 정원과 현원, 팀별 업무, 주요시설과 장비입니다.":
        "Authorised posts against staff in post by grade, team duties, facilities and equipment.",
    "직급별 정원·현원": "Posts and staff by grade", "팀별 업무": "Team duties", "주요시설 및 장비": "Facilities and equipment",
    "과부족 (현원 − 정원)": "Shortfall (staff − posts)", "직급별 정원과 현원 (일반직, 직급 배정은 추정)":
        "Posts and staff by grade (general service; grades inferred)",
    "시설별 면적 (연면적, 없으면 사용면적)": "Floor area by facility (gross, else area used)",
    "향후계획": "Planned activities",
    "각 사업의 향후계획을 월별 일정으로 봅니다. 색은 팀입니다. 시기가 적히지 않은 계획은 아래 표에 있습니다.":
        "Planned activities by month, coloured by team. Plans without a date are in the table below.",
    "향후계획 일정 (2023년)": "Plan timeline (2023)",
    "데이터와 정합성 검사": "Data and checks",
    "보고서의 모든 표와 정합성 검사 결과입니다. 보고서 안의 합계·비율이 세부 항목과 맞지 않으면 '불일치'로 그대로 보여 주며 "
    "고치지 않습니다.":
        "Every table of the report and the reconciliation checks. Where a total or rate in the report does not match "
        "its parts, it is shown as a discrepancy and not corrected.",
    "정합성 검사": "Reconciliation checks", "표 전체": "All tables", "표 Table": "Table",
    "자료 올리기": "Publish a report",
    "편집자가 새 보고서(엑셀 통합문서나 CSV 파일 묶음)를 올려, 무엇이 바뀌는지 본 뒤 게시하고, 마지막 게시를 되돌립니다.":
        "Editors upload a new report (an Excel workbook or a zip of the CSV files), see what it changes, publish it, "
        "and can undo the last publish.",
    "선택한 필터에 해당하는 자료가 없습니다. 사이드바에서 팀이나 재원 선택을 넓혀 보세요.":
        "No data for this filter. Widen the team or funding source in the sidebar.",
    "출처: 보고서 {source} · {as_of} 기준": "Source: report {source} · as of {as_of}",
    "{district} {division} · {title} · **{as_of} 기준** · 금액 단위 {unit}":
        "{district} {division} · {title} · **as of {as_of}** · money in {unit}",
    "직전 보고({as_of} 기준)와 비교한 변화를 함께 보여 줍니다.": "Changes since the previous report (as of {as_of}) are shown.",
    "{as_of} 대비": "since {as_of}", "{as_of} 기준": "as of {as_of}",
    "이 자료에는 {what} 구분이 없어 해당 필터가 적용되지 않습니다.": "This data has no {what}; that filter does not apply.",
    "팀": "team", "재원": "funding source",
    "{program} 사업은 선택한 팀에 속하지 않습니다.": "Programme {program} is not in the chosen teams.",
    "{team} · 기간 {period} · 대상 {target} · 출처 {source}": "{team} · period {period} · for {target} · source {source}",
    "예산액": "Budget", "집행액": "Executed", "집행률": "Execution rate", " 목표": " target",
    "선택한 재원의 예산이 이 사업에는 없습니다": "This programme has no budget from the chosen sources",
    "CSV 받기 (필터된 행)": "Download CSV (filtered rows)",
    "(보고서 표기 집행률 {rate}%)": "(the report states {rate}%)",
    # the briefing
    '{district} {division} 회의 브리핑': 'Meeting briefing · {district} {division}',
    '팀: {teams} · 재원: {sources} · 금액 단위: {unit}': 'Teams: {teams} · Sources: {sources} · Money: {unit}',
    '전체': 'all',
    '{report} · 연중 경과율 {elapsed}% (기준일까지 지난 날 ÷ 그해의 날 수)': '{report} · {elapsed}% of the year elapsed (days to the report date ÷ days in the year)',
    '예산액 (과 전체)': 'Budget (division)',
    '집행률 (과 전체)': 'Execution rate (division)',
    '예산액 (주요사업)': 'Budget (main programmes)',
    '{scope} · 집행액 {executed}': '{scope} · executed {executed}',
    '예산액 ({scope})': 'Budget ({scope})',
    '집행률 ({scope})': 'Execution rate ({scope})',
    '집행액 {executed}': 'Executed {executed}',
    '집행액 {executed} ÷ 예산액 {budget}': 'Executed {executed} ÷ budget {budget}',
    '과 전체 ': 'Division: ',
    '주요사업({scope}) ': 'Main programmes ({scope}): ',
    '주요사업({scope})의 예산이 없습니다.': 'The main programmes ({scope}) have no budget.',
    '과 전체 예산': "The division's budget",
    '취업자 (일자리플러스센터)': 'Employed (Job Plus Center)',
    '교육인원 (맞춤형 취·창업 교육)': 'Trainees (customised training)',
    '일자리플러스센터: 구직자 중 취업자': 'Job Plus Center: the employed among the job seekers',
    '맞춤형 취·창업 교육': 'Customised training',
    '상반기 선발인원': 'Selected, first half',
    '연간 목표인원 (보고서)': 'Annual target (report)',
    '재정지원 건수 ({n}개 사업의 지원기업 수 합)': 'Grants ({n} schemes\' firm counts added up)',
    '공공구매 실적': 'Public procurement',
    '목표액 {goal}': 'Target {goal}',
    '재정지원 사업별 지원액의 재원 구성': 'Funding sources of each grant scheme',
    '지원기업 수와 공공구매 실적': 'Firm counts and procurement',
    '오랑 이용인원': 'Visitors (오랑)',
    '4차산업 프로그램 참여 (실적, 보고서에 없는 합계)': '4th-industry programme participants (actual; a sum not in the report)',
    '4차산업 분야 청년 프로그램 참여인원 (실적·계획)': 'Participants in 4th-industry youth programmes (actual, planned)',
    '실적 수치': 'The results',
    '정원·현원': 'Posts and staff',
    '이 수치': 'These figures',
    '정원': 'Authorised posts',
    '현원': 'Staff in post',
    '주요시설': 'Facilities',
    '주요시설 ({teams})': 'Facilities ({teams})',
    '직급별 정원·현원과 팀별 주요시설': 'Posts and staff by grade, facilities by team',
    '{month} 시작': 'Starting in {month}',
    '시기 미기재': 'No date given',
    '{as_of} 이후 각 사업의 추진 일정 (색은 팀)': 'What each programme plans after {as_of} (colour = team)',
    '향후계획 일정 ({year}년)': 'Plan timeline ({year})',
    '팀별 향후계획': 'Planned activities by team',
    '출처: 보고서 {sources}': 'Source: report {sources}',
    '선택한 필터에 해당하는 자료가 없습니다.': 'No data for the chosen filters.',
    '기준일': 'Report date',
    "회의 브리핑": "Meeting briefing",
    "사업별로 한 장씩, 핵심 수치와 한 줄 요약, 차트 하나를 넘겨 봅니다. 같은 슬라이드를 HTML(차트가 움직이는 파일 하나)이나 "
    "PDF(A4 가로, 장마다 기준일·필터·출처)로 내려받습니다.":
        "One slide per business line: headline figures, one-line findings and one chart. Take the same slides away "
        "as HTML (one file, interactive charts) or PDF (A4 landscape, each page with its date, filters and sources).",
    "슬라이드": "Slide", "이전": "Previous", "다음": "Next",
    "이 슬라이드의 출처: 보고서 {sources} · {as_of} 기준": "Sources of this slide: report {sources} · as of {as_of}",
    "브리핑 내려받기": "Download the briefing", "HTML (슬라이드 전체)": "HTML (all slides)",
    "파일 하나에 슬라이드 전체와 움직이는 차트가 들어 있어 인터넷 없이 열립니다. 인쇄하면 A4 가로 한 장에 한 슬라이드입니다.":
        "One file with every slide and interactive charts; it opens without a network and prints one slide per A4 "
        "landscape page.",
    "이 서버에는 Chromium이 없어 PDF를 만들 수 없습니다. HTML 파일을 브라우저에서 열고 인쇄(PDF로 저장)하세요.":
        "This server has no Chromium to make the PDF. Open the HTML file in a browser and print it (save as PDF).",
    "PDF 만들기": "Make the PDF", "Chromium으로 A4 가로 PDF를 만듭니다 (10초 안팎).":
        "Prints an A4 landscape PDF with Chromium (about 10 seconds).",
    "PDF를 만드는 중…": "Making the PDF…", "PDF (A4 가로)": "PDF (A4 landscape)",
    # the pace status strip and chart (ydp_data.status)
    "뒤처짐": "Behind", "경과율 수준": "On pace", "앞섬": "Ahead", "경과율 대비 차이": "Gap to the year elapsed",
    " 집행률은 선택한 재원({sources})의 예산·집행액으로 셉니다.":
        " Execution counts the budget and spending of the chosen sources ({sources}) only.",
    "주요사업별 집행률, 가장 뒤처진 사업부터 · 회색 띠: 연중 경과율 ±{tolerance}%p":
        "Execution rate by main programme, most behind first · grey band: year elapsed ±{tolerance} points",
}


def name(text: str, lang: str) -> str:
    """A name from the report: Korean, or in English 'English (한국어)' where a translation is known."""
    if lang != ENGLISH or text not in NAMES:
        return text
    return f"{NAMES[text]} ({text})"


def translate(text: str, lang: str) -> str:
    """The dashboard's own words in the chosen language (Korean unchanged; unknown text stays Korean)."""
    if lang != ENGLISH:
        return text
    if text in UI:
        return UI[text]
    return unit_text(text, lang)


_UNIT_IN_PARENS = re.compile(r"\(([^()]+)\)")

# The Korean column headers of tables and CSV downloads (formatting.COLUMNS), in English (unit_text adds the unit)
HEADERS: dict[str, str] = {
    "잔액": "Balance", "보고서 집행률": "Report's execution rate", "비중": "Share",
    "보고서 재원비율": "Report's funding ratio", "단위사업명": "Unit programme", "사업번호": "Programme no.",
    "사업명": "Programme", "구분": "Category", "항목": "Measure", "구분(목표/실적/계획)": "Kind (target/actual/plan)",
    "기간": "Period", "값": "Value", "단위": "Unit", "합계": "Total", "하반기 목표인원(명)": "Second-half target(persons)",
    "직렬": "Job series", "직급": "Grade", "과부족(명)": "Surplus or shortfall(persons)",
    "보고서 과부족(명)": "Report's surplus or shortfall(persons)", "순번": "No.", "업무": "Duty", "명칭": "Name",
    "주소": "Address", "연면적(㎡)": "Floor area(㎡)", "사용면적(㎡)": "Area in use(㎡)", "면적(㎡)": "Area(㎡)",
    "용도": "Use", "공간": "Space", "수량": "Quantity", "수량 단위": "Quantity unit", "차종": "Vehicle type",
    "연식": "Model year", "계획번호": "Plan no.", "과제": "Task", "추진내용": "Activity", "세부내용": "Details",
    "추진시기(원문)": "Schedule (as written)", "시작월": "Start month", "종료월": "End month", "내용": "Description",
    "대상": "Eligible", "목적": "Purpose", "결과": "Result", "보고서 값": "Report's value", "계산 값": "Computed value",
    "허용오차": "Tolerance", "성과 단위": "Result unit", "실적 단위": "Unit of the result",
    "성과 1단위당 예산액": "Budget per result", "성과 1단위당 집행액": "Executed per result",
    "전체(목표·모수)": "Target or base", "비율(계산)": "Rate (computed)", "실적 항목": "Result measure",
    "목표·모수 항목": "Target or base measure", "실적 구분": "Result kind", "목표·모수 구분": "Target or base kind",
    "목표·모수 기간": "Target or base period", "구분(반기)": "Half", "포함된 주요사업": "Main programmes included",
    "차이(계산 − 보고서)": "Difference (computed − report)", "비교": "Comparison", "보고서 ID": "Report ID",
    "자치구": "District", "부서": "Division", "원본 파일": "Source file", "순서": "Order", "장": "Chapter",
    "번호": "No.", "사업개요": "Overview", "합계 ID": "Total ID", "장비 ID": "Equipment ID", "빌드 시각": "Built at",
    "비고": "Note", "출처": "Source", "항목 ID": "Measure ID", "검사 ID": "Check ID", "시설 ID": "Facility ID",
}


def _unit(unit: str) -> str:
    """A unit in English: '천원', or a unit per result such as '천원/명'."""
    parts = unit.split("/")
    if len(parts) > 1 and all(p in UNITS for p in parts):
        return "/".join(UNITS[p] for p in parts)
    return UNITS.get(unit, NAMES.get(unit, unit))


def unit_text(text: str, lang: str) -> str:
    """'예산액(천원)' or '(명)' with its label and unit in the chosen language."""
    if lang != ENGLISH:
        return text
    if text.startswith("직전 "):  # a period comparison's columns (formatting.header)
        return f"Previous {unit_text(text.removeprefix('직전 '), lang)}"
    if text.endswith(" 변화"):
        return f"{unit_text(text.removesuffix(' 변화'), lang)} change"
    for label in sorted(HEADERS, key=len, reverse=True):
        if text == label or text.startswith(f"{label}("):
            return HEADERS[label] + _UNIT_IN_PARENS.sub(lambda m: f"({_unit(m.group(1))})", text[len(label):])
    head = _UNIT_IN_PARENS.sub(lambda m: f"({_unit(m.group(1))})", text)
    label = _UNIT_IN_PARENS.split(head)[0].strip() if "(" in text else text
    english = UI.get(label) or NAMES.get(label)
    return head.replace(label, english, 1) if english and label else head


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # a chart's month ticks


def localise_figure(fig: go.Figure, lang: str, names: Callable[[str, str], str] = name) -> go.Figure:
    """A chart's title, axis titles, legend, category labels and units in the chosen language (in place).

    Legend and category labels come escaped for plotly (charts, safe_text.plot): a name is looked up as the reader
    sees it and written back escaped.
    """
    if lang != ENGLISH:
        return fig

    def label(text: str) -> str:
        return plot(names(html.unescape(text), lang))

    fig.update_layout(title_text=translate(fig.layout.title.text or "", lang))
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:  # every panel's axes (charts.panels)
        if axis.title.text:
            axis.title.text = unit_text(axis.title.text, lang)
        if axis.ticktext and all(re.fullmatch(r"\d{1,2}월", str(m)) for m in axis.ticktext):  # '5월' is 'May'
            axis.ticktext = [MONTHS[int(str(m)[:-1]) - 1] for m in axis.ticktext]
    bars = any(t.type == "funnel" or (t.type == "bar" and getattr(t, "orientation", None) == "h") for t in fig.data)
    for trace in fig.data:
        if getattr(trace, "name", None):
            trace.name = label(trace.name)
        horizontal = trace.type == "funnel" or (trace.type == "bar" and getattr(trace, "orientation", None) == "h")
        if (horizontal or (bars and trace.type == "scatter")) and trace.y is not None:  # a mark on a bar: its category
            trace.y = [label(v) if isinstance(v, str) else v for v in trace.y]
        units = getattr(trace, "customdata", None)
        if units is not None and len(units) and all(isinstance(u, str) and u in UNITS for u in units):
            trace.customdata = [f" {UNITS[u]}" for u in units]
    return fig


# --- words of the charts that cannot mislead: units apart, targets named, filters and omissions said --------------
NAMES.update({
    "상반기 선발 (실적)": "First-half selections (actual)", "하반기 목표 (목표)": "Second-half target (target)",
    "상반기 선발인원 (실적)": "First-half selections (actual)", "연간 목표인원 (목표)": "Annual target (target)",
    "목표액 (목표)": "Target amount (target)",
})
UI.update({
    "필터: {chosen}": "Filter: {chosen}", "{what} 필터 미적용 (구분 없는 자료)": "{what} filter not applied (no such split)",
    "집행률({sources}만)(%)": "Execution rate ({sources} only) (%)",
    "보고서 집행률(사업 전체, 모든 재원)(%)": "Report's execution rate (whole programme, all sources) (%)",
    "위 카드는 선택한 팀·재원과 관계없이 과 전체 합계입니다 (단위사업 예산에는 팀·재원 구분이 없음). 선택한 팀·재원의 수치는 "
    "아래 주요사업 카드에 있습니다.":
        "The cards above are the whole division's totals whatever team or source is chosen (unit-programme budgets "
        "have no team or source). The chosen teams and sources are in the main-programme cards below.",
    "보고서 표기 집행률": "Rate the report prints", "보고서 표기 취업률": "Employment rate the report prints",
    "보고서 표기 달성률": "Achievement the report prints",
    "팀별 예산액·집행액 (주요사업)": "Budget and spending by team (main programmes)",
    "재원별 예산액·집행액 (주요사업)": "Budget and spending by funding source (main programmes)",
    "성과 1단위당 예산액·집행액 (실적 단위별)": "Budget and spending per reported result (by unit of result)",
    "구직자 중 취업자 (누계)": "The employed among the job seekers (to date)",
    "연간 목표 대비 상반기 선발인원": "First-half selections against the annual target",
    "세부사업별 상반기 선발(실적)과 하반기 목표(목표)": "First-half selections (actual) and second-half targets (target)",
    "보고서 불일치: 연간 목표 {expected}명 ≠ 상반기 선발 + 하반기 목표 {computed}명 ({source})":
        "Discrepancy in the report: annual target {expected} ≠ first-half selections + second-half targets {computed} "
        "({source})",
    "상반기 선발인원 (실적)": "First-half selections (actual)", "연간 목표인원 (목표)": "Annual target (target)",
    "세부사업별 상반기 선발과 하반기 목표": "First-half selections and second-half targets by sub-programme",
    "두 반기의 합 {computed}명은 보고서의 연간 목표 {expected}명과 다릅니다 ({source}).":
        "The two halves add up to {computed}, not the report's annual target of {expected} ({source}).",
    "사업마다 따로 센 수입니다. 한 기업이 여러 사업에서 지원받을 수 있어, 사업별 지원기업 수를 더한 값은 기업 수가 아니라 지원 "
    "건수입니다.":
        "Counted scheme by scheme. A firm can be supported by several schemes, so the counts added up are grants, "
        "not firms.",
    "공공구매 목표 대비 실적": "Public procurement against its target",
    "보조금 (지역특화사업 국·시비)": "Grants won (local special projects, national and city)",
    "직급은 추정입니다: 보고서 표의 열 구분이 사라져, 다섯 개 값을 일반직 5~9급에 놓았습니다 (과부족이 현원 − 정원일 때만 "
    "모든 열이 맞음, datasets/README.md).":
        "The grades are inferred: the report's table lost its column breaks, so the five values are placed at general "
        "service grades 5 to 9 (only then do all columns add up; datasets/README.md).",
    "직급(5~9급)은 보고서 열에서 추정한 배정입니다.": "Grades 5 to 9 are inferred from the report's columns.",
    "보고서에 없는 합계: 한 기업이 여러 사업에서 지원받을 수 있어 기업 수가 아니라 지원 건수입니다.":
        "A sum not in the report: a firm can be supported by several schemes, so these are grants, not firms.",
    "재정지원 사업별 지원기업 (사업마다 따로 센 수)": "Firms supported per grant scheme (each counted on its own)",
    "서로 다른 {n}개 프로그램의 참여인원을 더한 값입니다.": "The participants of {n} different programmes added up.",
    "4차산업 분야 청년 프로그램 참여인원 (실적)": "Participants in 4th-industry youth programmes (actual)",
})

# the trend of three or more report periods (ui.trend_charts, charts.trend_lines)
UI.update({
    "보고 시점별 추이": "Trend by report period",
    "보고 시점별 집행률과 연중 경과율": "Execution rate and the year's pace, by report period",
    "집행률 (%)": "Execution rate (%)",
    "보고 시점별 각 사업 예산현황": "each programme's budget table, by report period",
    "보고 시점별 연간 목표 대비 실적": "Results against annual targets, by report period",
    "목표 대비 (%)": "Of the target (%)",
    "연간 목표": "Annual target",
    "보고 시점별 추진실적": "results, by report period",
    "기준일": "As of",
})

# room-ready: the briefing's presenter mode, the plans timeline's past months, cards that fit in English
UI.update({
    "슬라이드 넘기기": "Slide navigation", "← → 키로 넘깁니다": "← → to step through",
    "지난 달": "past",
    "보조금 (지역특화사업 국·시비)": "Local project grants",
    "일 평균 이용인원": "Visitors a day",  # a card label, with '(persons)' after it: 'Daily average visitors' was cut off
})
UI.update({
    "자세히: 내부 ID·원본 파일 열도 보기": "Details: show internal ids and file paths too",
    "검사 ID·항목 ID 같은 내부 ID와 원본 파일 경로는 평소에는 표에서 뺍니다.":
        "Internal ids (check id, fact id, …) and file paths are left out of the tables unless asked for.",
})
