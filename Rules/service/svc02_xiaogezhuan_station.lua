-- SVC-02 小个专惠企服务站 ("找资金、找人才、找政策")
-- 小个专党群服务中心惠企服务站 (模板: 福田华强北 "六站合一"; domain §2.1), 面向小微企业、个体工商户、专业市场。
local baoan = require("baoan")

return {
  id = "service.xiaogezhuan-station",
  service = "SVC-02",
  conditions = {
    { "小微企业、个体工商户或专业市场(小个专)", function(p) return baoan.is_xiaogezhuan(p) end },
  },
  score = 4,
}
