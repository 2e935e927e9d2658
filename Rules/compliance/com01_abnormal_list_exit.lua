-- COM-01 经营异常名录移出指导 (信用修复)
-- 对已列入经营异常名录的主体, 指导补报年报、更正公示信息后申请移出, 恢复享受惠企政策资格。
return {
  id = "compliance.abnormal-list-exit",
  service = "COM-01",
  conditions = {
    { "已列入经营异常名录", function(p) return p.abnormal_operation end },
  },
  score = 6,
}
