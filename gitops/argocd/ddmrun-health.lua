-- Argo CD health check for archipelago.dev/DDMRun, in Argo CD's custom health check Lua.
-- It reads only the kstatus contract of the status (observedGeneration, Ready / Reconciling /
-- Stalled conditions) and the phase, so it works for every DDMRun the operator writes.
--
--   Healthy      Ready=True: serving (or training finished without inference)
--   Progressing  the operator has not observed the latest spec yet, or it is still working
--   Degraded     Stalled=True (the message says which expert and why), or phase Failed
--   Suspended    spec.suspend is set and the run is Suspended
local hs = {}

local function condition(type)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.message
  return hs
end

if obj.status.phase == "Failed" then
  hs.status = "Degraded"
  hs.message = "The run failed"
  return hs
end

if obj.status.phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = "Suspended; checkpoints are kept and the run resumes when spec.suspend is false"
  return hs
end

local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message
  return hs
end

hs.status = "Progressing"
local reconciling = condition("Reconciling")
if reconciling ~= nil and reconciling.status == "True" and reconciling.message ~= nil
    and reconciling.message ~= "" then
  hs.message = (obj.status.phase or "Pending") .. ": " .. reconciling.message
else
  hs.message = obj.status.phase or "Pending"
end
return hs
