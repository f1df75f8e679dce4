"""zh_CN translations of store_training_slides, applied by scripts/i18n/update.py (msgid -> msgstr)."""

ZH = {
    "Training Course": "培训课程",
    "eLearning course that employees with a training alert are enrolled in.": "收到培训预警的员工会被加入此在线学习课程。",
    "Companies": "公司",
    "Config Settings": "配置设置",
    "Display Name": "显示名称",
    "ID": "ID",
    "Staff Performance": "员工绩效",
}
