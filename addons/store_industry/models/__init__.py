from . import store_markdown_rule
from . import store_markdown_proposal
from . import store_markdown_proposal_demo
from . import store_shrink_report
from . import stock_scrap
