<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../desktop/ui/about_dialog.py" line="+89"/>
        <source>关于试点案例库</source>
        <translation>About Pilot Casebook</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>试点案例库 · Pilot Casebook</source>
        <translation>Pilot Casebook · 试点案例库</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>试点、探索事项与典型案例的离线案例库，一地创新、全省共享。</source>
        <translation>An offline library of pilots, experiments and model cases: one place innovates, the whole province shares.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>案例库位置</source>
        <translation>Library location</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打开所在文件夹</source>
        <translation>Open containing folder</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>版本：</source>
        <translation>Version:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案例库：</source>
        <translation>Library:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>运行环境：</source>
        <translation>Runtime:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>本软件使用 Qt 与 PySide6（GNU LGPL 3.0）、ReportLab（BSD 许可证），随附 Noto 中文字体（SIL Open Font License 1.1）及下列开源组件。选中一项可查看许可证全文。</source>
        <translation>This software uses Qt and PySide6 (GNU LGPL 3.0) and ReportLab (BSD licence), and ships the Noto Chinese fonts (SIL Open Font License 1.1) and the open-source components below. Select one to read its licence.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>开源组件</source>
        <translation>Open-source components</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>许可证全文</source>
        <translation>Licence text</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>找不到许可证文件：{p}</source>
        <translation>Licence file not found: {p}</translation>
    </message>
</context>
<context>
    <name>AdoptionDialog</name>
    <message>
        <location filename="../../desktop/ui/case_editor.py" line="+500"/>
        <source>推广记录</source>
        <translation>Adoption record</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+46"/>
        <source>选择推广地区</source>
        <translation>Choose the adopting place</translation>
    </message>
    <message>
        <location line="-43"/>
        <source>推广日期</source>
        <translation>Date adopted</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>推广方式</source>
        <translation>Extent of adoption</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>推广说明</source>
        <translation>Adoption note</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>地区</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>方式</source>
        <translation>Extent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>（未选择）</source>
        <translation>(none chosen)</translation>
    </message>
</context>
<context>
    <name>BulkEditDialog</name>
    <message>
        <location filename="../../desktop/ui/bulk_dialog.py" line="+28"/>
        <source>批量编辑</source>
        <translation>Edit in bulk</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+6"/>
        <location line="+4"/>
        <source>（不变）</source>
        <translation>(unchanged)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>改为“退回”时必须填写原因</source>
        <translation>A reason is required when returning cases</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>加入主题</source>
        <translation>Add to theme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移出主题</source>
        <translation>Remove from theme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>加上标签</source>
        <translation>Add tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>去掉标签</source>
        <translation>Remove tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审核状态改为</source>
        <translation>Change review status to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退回原因</source>
        <translation>Reason for returning</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>对选中的 %n 个案例：</source>
        <translation>
            <numerusform>For the %n selected case:</numerusform>
            <numerusform>For the %n selected cases:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CaseEditor</name>
    <message>
        <location filename="../../desktop/ui/case_editor.py" line="+78"/>
        <location line="+47"/>
        <source>选择一个案例</source>
        <translation>Select a case</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>审核：{status}</source>
        <translation>Review: {status}</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>不支持的图片格式：{names}</source>
        <translation>Unsupported image format: {names}</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>、</source>
        <comment>between file names</comment>
        <translation>, </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>导入照片</source>
        <translation>Importing photos</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>保存推广记录</source>
        <translation>Saving the adoption record</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+387"/>
        <source>删除推广记录</source>
        <translation>Delete the adoption record</translation>
    </message>
    <message>
        <location line="-378"/>
        <source>读取推广记录</source>
        <translation>Reading adoptions</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>审核状态</source>
        <translation>Review status</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>最后修改</source>
        <translation>Last modified</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>保存问题</source>
        <translation>Saving problem</translation>
    </message>
    <message>
        <location line="+36"/>
        <location line="+34"/>
        <location line="+4"/>
        <source>模式类型</source>
        <translation>Model type</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>基本信息</source>
        <translation>Basic information</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>案例标题（必填）</source>
        <translation>Case title (required)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>副标题</source>
        <translation>Subtitle</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>如：地点、范围</source>
        <translation>e.g. place, scope</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>地区列表</source>
        <translation>List of places</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+193"/>
        <source>添加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <location line="-192"/>
        <location line="+818"/>
        <source>添加地区</source>
        <translation>Add places</translation>
    </message>
    <message>
        <location line="-816"/>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移除所选地区</source>
        <translation>Remove the selected places</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+167"/>
        <source>地区</source>
        <translation>Places</translation>
    </message>
    <message>
        <location line="-165"/>
        <location line="+22"/>
        <source>主题</source>
        <translation>Themes</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>未选择主题</source>
        <translation>No theme chosen</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <source>选择主题</source>
        <translation>Choose themes</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>主题树</source>
        <translation>Theme tree</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+3"/>
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>用顿号或逗号分隔，如：强村公司、飞地抱团</source>
        <translation>Separate with commas, e.g. village company, joint enclave project</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>正文</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>基本情况</source>
        <translation>Background</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>主要做法</source>
        <translation>Main practices</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取得成效</source>
        <translation>Results</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>经验启示</source>
        <translation>Lessons learned</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>数据</source>
        <translation>Figures</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>数据表</source>
        <translation>Table of figures</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>添加一行</source>
        <translation>Add row</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加数据</source>
        <translation>Add a figure</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>删除所选行</source>
        <translation>Delete selected rows</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>删除所选数据</source>
        <translation>Delete the selected figures</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+2"/>
        <source>照片</source>
        <translation>Photos</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>添加照片…</source>
        <translation>Add photos…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+745"/>
        <source>添加照片</source>
        <translation>Add photos</translation>
    </message>
    <message>
        <location line="-743"/>
        <source>移除照片</source>
        <translation>Remove photo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移除所选照片</source>
        <translation>Remove the selected photos</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>照片说明</source>
        <translation>Photo caption</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>所选照片的说明</source>
        <translation>Caption of the selected photo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>照片署名</source>
        <translation>Photo credit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>拍摄者或提供单位</source>
        <translation>Photographer or providing unit</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+46"/>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>署名</source>
        <translation>Credit</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>来源与报送</source>
        <translation>Source and reporting</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>如：报送单位、报道出处</source>
        <translation>e.g. reporting unit, news source</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+10"/>
        <source>链接</source>
        <translation>Link</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>在浏览器中打开链接</source>
        <translation>Open the link in a browser</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+12"/>
        <source>报送日期</source>
        <translation>Date reported</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清除报送日期</source>
        <translation>Clear the date reported</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>推广</source>
        <translation>Adoption</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>推广记录</source>
        <translation>Adoption records</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>方式</source>
        <translation>Extent</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>添加推广记录</source>
        <translation>Add an adoption record</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>修改…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>修改推广记录</source>
        <translation>Edit the adoption record</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+11"/>
        <source>审核记录</source>
        <translation>Review history</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>退回原因</source>
        <translation>Reason for returning</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>读取目录</source>
        <translation>Loading the catalogue</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>（未选择）</source>
        <translation>(none chosen)</translation>
    </message>
    <message>
        <location line="+43"/>
        <location line="+237"/>
        <source>读取案例</source>
        <translation>Loading the case</translation>
    </message>
    <message>
        <location line="-212"/>
        <source>此案例在回收站中，恢复后才能编辑。</source>
        <translation>This case is in the trash; restore it to edit it.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>找不到这个案例，它可能已被彻底删除。</source>
        <translation>This case cannot be found; it may have been deleted for good.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>读取案例失败：{error}</source>
        <translation>Could not load the case: {error}</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>未选择地区，点“添加…”从地区树中选择</source>
        <translation>No places chosen; click “Add…” to choose them from the place tree</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>（照片文件缺失或无法读取）</source>
        <translation> (photo file missing or unreadable)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>照片文件 {name} 不在照片文件夹中或无法读取；简报在此处印出说明文字。</source>
        <translation>The photo file {name} is not in the photo folder or cannot be read; briefs print a note in its place.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>照片 {n}</source>
        <translation>Photo {n}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>退回原因：{reason}</source>
        <translation>Reason for returning: {reason}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>重新报送</source>
        <translation>Resubmit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>报送</source>
        <translation>Submit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>撤销推荐</source>
        <translation>Withdraw recommendation</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>审核通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>推荐推广</source>
        <translation>Recommend for adoption</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>改回草稿</source>
        <translation>Back to draft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退回…</source>
        <translation>Return…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最后修改：{who} {time}</source>
        <translation>Last modified: {who}, {time}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>来源：{origin}</source>
        <translation>Origin: {origin}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>暂无审核记录</source>
        <translation>No review history yet</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>（原因：{reason}）</source>
        <translation> (reason: {reason})</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>未填</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location line="+33"/>
        <location line="+47"/>
        <location line="+51"/>
        <source>有 {n} 处问题，改正后自动保存</source>
        <translation>Problems found: {n}; saved automatically once corrected</translation>
    </message>
    <message>
        <location line="-96"/>
        <source>正在编辑…</source>
        <translation>Editing…</translation>
    </message>
    <message>
        <location line="+51"/>
        <location line="+28"/>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>编辑案例</source>
        <translation>Edit case</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>未能保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+4"/>
        <source>保存失败</source>
        <translation>Saving failed</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>此案例已被删除或移到回收站，修改未能保存。恢复后可再保存。</source>
        <translation>This case was deleted or moved to the trash, so your changes were not saved. Restore it to save them.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>此案例已被{who}于 {time} 修改，你的修改尚未保存。</source>
        <translation>This case was changed by {who} at {time}; your changes are not saved yet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其他用户</source>
        <translation>another user</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>修改冲突，请决定后保存</source>
        <translation>Conflicting changes: decide, then save</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>已改为对方保存的内容</source>
        <translation>Now showing what the other side saved</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>修改仍保留在窗口中，{s} 秒后自动重试；保存之前不会切换到其他案例。</source>
        <translation>Your changes are kept in the window and saving is tried again in {s} seconds; the editor stays on this case until they are saved.</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>图片</source>
        <translation>Images</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>照片导入失败：{error}</source>
        <translation>Could not import the photos: {error}</translation>
    </message>
    <message>
        <location line="+41"/>
        <location line="+6"/>
        <source>退回案例</source>
        <translation>Return case</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>请写明退回原因（必填），报送单位会看到这段话：</source>
        <translation>Give the reason for returning the case (required); the reporting unit will see it:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>退回时须写明原因。</source>
        <translation>A reason is required to return a case.</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <location filename="../../desktop/ui/case_table.py" line="+71"/>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>摘要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>地区</source>
        <translation>Places</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>模式类型</source>
        <translation>Model type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审核状态</source>
        <translation>Review status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>报送日期</source>
        <translation>Date reported</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>读取案例</source>
        <translation>Loading cases</translation>
    </message>
</context>
<context>
    <name>ChipBox</name>
    <message>
        <location filename="../../desktop/ui/case_editor.py" line="-1559"/>
        <source>点击移除“{name}”</source>
        <translation>Click to remove “{name}”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移除{what}：{name}</source>
        <translation>Remove from {what}: {name}</translation>
    </message>
</context>
<context>
    <name>ComposerDialog</name>
    <message>
        <location filename="../../desktop/ui/composer.py" line="+135"/>
        <source>编排简报</source>
        <extracomment>The role holding a case&apos;s UUID on the items of the case list. The masthead (报头) a brief gets unless the user names it otherwise. Characters a file name may not hold on Windows (and control characters). The next issue number of the date&apos;s year arrived and is in the 期号 field. Cases were added to the list (after their titles were loaded). A preview was loaded into the preview pane (its number of pages). An export (or a redo from the history) was written. A Word document was written (its ``WordReport``). The export history was (re)loaded.</extracomment>
        <translation>Compose a brief</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>编排</source>
        <translation>Compose</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+216"/>
        <source>导出记录</source>
        <translation>Export history</translation>
    </message>
    <message>
        <location line="-213"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>进度</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>停止正在进行的预览或导出</source>
        <translation>Stop the preview or export in progress</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+195"/>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location line="-194"/>
        <source>在右侧查看排好的 PDF，不保存、不记入导出记录</source>
        <translation>See the typeset PDF on the right; nothing is saved or added to the history</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选择保存位置，导出 PDF 并记入导出记录</source>
        <translation>Choose where to save, export the PDF and add it to the history</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>导出 Word…</source>
        <translation>Export Word…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按同样的版式和结构导出 Word 文档，便于修改后再印发</source>
        <translation>Export a Word document with the same layout and structure, to edit before issuing</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+577"/>
        <location line="+30"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="-587"/>
        <location line="+644"/>
        <source>工作简报</source>
        <translation>Work brief</translation>
    </message>
    <message>
        <location line="-643"/>
        <location line="+644"/>
        <source>典型案例汇编</source>
        <translation>Case collection</translation>
    </message>
    <message>
        <location line="-643"/>
        <location line="+644"/>
        <source>案例单页</source>
        <translation>Case sheet</translation>
    </message>
    <message>
        <location line="-640"/>
        <source>首页红色大字的简报名称</source>
        <translation>The brief&apos;s name, large and red on page 1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>自动</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>第 </source>
        <translation>Issue no. </translation>
    </message>
    <message>
        <location line="+1"/>
        <source> 期</source>
        <translation> of the year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按年编号；自动给出本年的下一期，可以改</source>
        <translation>Numbered per year; the next number of this year is proposed and can be changed</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>如：浙江省农业农村厅</source>
        <translation>e.g. Department of Agriculture and Rural Affairs of Zhejiang</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>不注明</source>
        <translation>Not stated</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> 份</source>
        <translation> copies</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>可不填；印在正文之前</source>
        <translation>Optional; printed before the text</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>按主题</source>
        <translation>By theme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按地区</source>
        <translation>By region</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按模式类型</source>
        <translation>By model type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>不分组</source>
        <translation>No grouping</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+130"/>
        <source>模板</source>
        <translation>Template</translation>
    </message>
    <message>
        <location line="-129"/>
        <source>报头</source>
        <translation>Masthead</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+128"/>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="-127"/>
        <location line="+127"/>
        <location line="+118"/>
        <source>期号</source>
        <translation>Issue no.</translation>
    </message>
    <message>
        <location line="-244"/>
        <source>编印单位</source>
        <translation>Compiled by</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>报</source>
        <translation>Report to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>送</source>
        <translation>Send to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>发</source>
        <translation>Issue to</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>共印份数</source>
        <translation>Copies printed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>编者按</source>
        <translation>Editor&apos;s note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>分组</source>
        <translation>Group by</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>简报设置</source>
        <translation>Brief settings</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>入选案例</source>
        <translation>Cases included</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>拖动可调整顺序</source>
        <translation>Drag to reorder</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+14"/>
        <source>移除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>添加检索结果…</source>
        <translation>Add search results…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>添加主题…</source>
        <translation>Add a theme…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>案例提示</source>
        <translation>Case hint</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>点「预览」在这里查看排好的 PDF</source>
        <translation>Click “Preview” to see the typeset PDF here</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PDF 预览</source>
        <translation>PDF preview</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>预览需要 PDF 模块（PySide6-Addons），本机没有安装，无法在此预览。
仍可直接导出 PDF。</source>
        <translation>The preview needs the PDF module (PySide6-Addons), which is not installed here.
You can still export the PDF.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>预览页数</source>
        <translation>Preview pages</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>导出时间</source>
        <translation>Exported at</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+368"/>
        <location line="+30"/>
        <location line="+12"/>
        <location line="+7"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="-416"/>
        <source>用系统的 PDF 阅读器打开这份文件</source>
        <translation>Open this file in the system&apos;s PDF reader</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>按原设置重新导出</source>
        <translation>Export again with the same settings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用当时的设置和案例重新生成，覆盖原文件</source>
        <translation>Regenerate it from the same settings and cases, replacing the file</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>还没有导出过简报。</source>
        <translation>Nothing has been exported yet.</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>不填则用「{title}」</source>
        <translation>Leave empty to use “{title}”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>不填则只印报头（只有一个案例时印案例标题）</source>
        <translation>Leave empty to print only the masthead (the case’s title when there is one case)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>不填则用案例标题</source>
        <translation>Leave empty to use the case&apos;s title</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>读取案例</source>
        <translation>Loading cases</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>没有找到与「{q}」相符的案例</source>
        <translation>No case matches “{q}”</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>检索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>这个主题下还没有案例</source>
        <translation>This theme has no cases yet</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+29"/>
        <source>读取主题</source>
        <translation>Loading themes</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>添加检索结果</source>
        <translation>Add search results</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>检索词（多个词用空格分隔；不填则加入全部案例）：</source>
        <translation>Search words (separated by spaces; leave empty to add every case):</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>案例库中还没有主题</source>
        <translation>The library has no themes yet</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>添加主题</source>
        <translation>Add a theme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>加入这个主题下的全部案例：</source>
        <translation>Add every case of this theme:</translation>
    </message>
    <message numerus="yes">
        <location line="+22"/>
        <source>加入了 %n 个案例</source>
        <translation>
            <numerusform>Added %n case</numerusform>
            <numerusform>Added %n cases</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>这些案例都已在列表中</source>
        <translation>These cases are already in the list</translation>
    </message>
    <message numerus="yes">
        <location line="+34"/>
        <source>案例（%n 个，拖动调整顺序）</source>
        <translation>
            <numerusform>Cases (%n, drag to reorder)</numerusform>
            <numerusform>Cases (%n, drag to reorder)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+21"/>
        <source>请至少选择一个案例</source>
        <translation>Choose at least one case</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>正在排版预览</source>
        <translation>Typesetting the preview</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>预览无法显示</source>
        <translation>The preview cannot be shown</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>共 %n 页（预览不保存，也不记入导出记录）</source>
        <translation>
            <numerusform>%n page (the preview is not saved or added to the history)</numerusform>
            <numerusform>%n pages (the preview is not saved or added to the history)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>预览已更新</source>
        <translation>Preview updated</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>简报</source>
        <translation>Brief</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>正在导出 PDF</source>
        <translation>Exporting the PDF</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>导出 Word</source>
        <translation>Export Word</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Word 文档 (*.docx)</source>
        <translation>Word documents (*.docx)</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+18"/>
        <source>已导出：{name}</source>
        <translation>Exported: {name}</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>已导出 Word 文档：
{path}</source>
        <translation>Word document exported:
{path}</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>正在导出 Word</source>
        <translation>Exporting Word document</translation>
    </message>
    <message numerus="yes">
        <location line="+25"/>
        <source>已导出 %n 页：</source>
        <translation>
            <numerusform>Exported %n page:</numerusform>
            <numerusform>Exported %n pages:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>以下 %n 个字符没有任何字体能排印，PDF 中缺了它们：
{chars}
请改用常见写法，或在系统中安装含这些字的字体后重新导出。</source>
        <translation>
            <numerusform>No font can set the following %n character; the PDF lacks it:
{chars}
Use a common form, or install a font that has it and export again.</numerusform>
            <numerusform>No font can set the following %n characters; the PDF lacks them:
{chars}
Use common forms, or install a font that has them and export again.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+27"/>
        <source>没有能打开此文件的程序：
{path}</source>
        <translation>No program can open this file:
{path}</translation>
    </message>
    <message>
        <location line="-51"/>
        <location line="+30"/>
        <source>导出完成</source>
        <translation>Export finished</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>文件已不在原处：
{path}
可以用「按原设置重新导出」重新生成。</source>
        <translation>The file is no longer there:
{path}
Use “Export again with the same settings” to regenerate it.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>读取导出记录</source>
        <translation>Loading the export history</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{year}年第{n}期</source>
        <translation>{year} No. {n}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>文件已不在原处：</source>
        <translation>The file is no longer there:</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>正在重新导出</source>
        <translation>Exporting again</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>未能完成</source>
        <translation>Could not finish</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>ConflictPanel</name>
    <message>
        <location filename="../../desktop/ui/conflict_panel.py" line="+54"/>
        <source>修改冲突</source>
        <extracomment>How much of a long text a cell shows (the whole text is in its tooltip).</extracomment>
        <translation>Conflicting changes</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>下列内容两边不同。逐项选择保留哪一边，或直接在下方表单中改成合并后的样子，然后保存。</source>
        <translation>These fields differ between the two sides. Choose which side to keep for each, or edit the form below into the merged text, then save.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>保存合并结果</source>
        <translation>Save the merge</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>放弃我的修改</source>
        <translation>Discard my changes</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>内容</source>
        <translation>Field</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>对方保存的</source>
        <translation>Saved by the other side</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>我的</source>
        <translation>Mine</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>两边都改了</source>
        <translation>changed on both sides</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>采用对方</source>
        <translation>Take theirs</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>保留我的</source>
        <translation>Keep mine</translation>
    </message>
</context>
<context>
    <name>DueListModel</name>
    <message>
        <location filename="../../desktop/ui/duban.py" line="+49"/>
        <source>到期日</source>
        <extracomment>How far ahead the list looks (the service&apos;s default window).</extracomment>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>节点</source>
        <translation>Milestone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>探索事项</source>
        <translation>Experiment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>试点</source>
        <translation>Pilot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>责任单位</source>
        <translation>Responsible unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>逾期 {n} 天</source>
        <translation>{n} days overdue</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>今天到期</source>
        <translation>Due today</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} 天后到期</source>
        <translation>Due in {n} days</translation>
    </message>
</context>
<context>
    <name>DueListWidget</name>
    <message>
        <location line="+72"/>
        <source>督办小结</source>
        <translation>Follow-up summary</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>督办清单</source>
        <translation>Follow-up list</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>双击或按回车打开探索事项</source>
        <translation>Double-click or press Enter to open the experiment</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>读取督办清单</source>
        <translation>Loading the follow-up list</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>逾期 {overdue} 项，{days} 天内到期 {upcoming} 项</source>
        <translation>{overdue} overdue, {upcoming} due within {days} days</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../desktop/ui/errors.py" line="+112"/>
        <source>无法完成操作</source>
        <translation>Could not complete the operation</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>意外错误</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>操作未能完成，出现了意外错误。</source>
        <translation>The operation could not be completed because of an unexpected error.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>错误图标</source>
        <translation>Error icon</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>错误信息</source>
        <translation>Error message</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>日志文件</source>
        <translation>Log file</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>打开日志所在文件夹</source>
        <translation>Open the folder containing the log</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+9"/>
        <source>详细信息</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>复制详细信息</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <location line="-23"/>
        <location line="+46"/>
        <source>日志文件：</source>
        <translation>Log file: </translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../desktop/ui/share_dialogs.py" line="+210"/>
        <source>导出案例</source>
        <translation>Export cases</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>导出哪些案例</source>
        <translation>Which cases</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>选中的 %n 个案例</source>
        <translation>
            <numerusform>The %n selected case</numerusform>
            <numerusform>The %n selected cases</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>当前列表中的全部 %n 个案例（检索或分类的结果）</source>
        <translation>
            <numerusform>The %n case of the current list (search or category)</numerusform>
            <numerusform>All %n cases of the current list (search or category)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>案例库中的全部案例</source>
        <translation>Every case in the library</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>格式</source>
        <translation>Format</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>案例包（.casebook）：发给其他单位导入合并，含照片</source>
        <translation>Share bundle (.casebook): for other offices to import and merge, photos included</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel 台账（.xlsx）：全部字段，可筛选</source>
        <translation>Excel ledger (.xlsx): every field, with filters</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Word 文档（.docx）：与 PDF 简报结构相同，便于修改</source>
        <translation>Word document (.docx): the structure of the PDF briefs, easy to edit</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>FiguresModel</name>
    <message>
        <location filename="../../desktop/ui/case_editor.py" line="-129"/>
        <source>指标</source>
        <extracomment>After the file refused a save (``LibraryWriteError``), the next try comes this much later. Background and text colour of the review status badge. Order of the review buttons: forward moves first, 退回 last.</extracomment>
        <translation>Indicator</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>时期</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
</context>
<context>
    <name>FilterPanel</name>
    <message>
        <location filename="../../desktop/ui/filter_panel.py" line="+38"/>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>到</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>山区海岛县，认定日期</source>
        <translation>Mountain and island counties, as designated on</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+17"/>
        <source>主题</source>
        <translation>Theme</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+16"/>
        <source>地区</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="-15"/>
        <location line="+15"/>
        <source>模式类型</source>
        <translation>Model type</translation>
    </message>
    <message>
        <location line="-14"/>
        <location line="+14"/>
        <source>审核状态</source>
        <translation>Review status</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>报送日期起</source>
        <translation>Reported from</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>报送日期止</source>
        <translation>Reported until</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>山区海岛县认定日期</source>
        <translation>Mountain and island county designation date</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+45"/>
        <location line="+9"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>报送日期</source>
        <translation>Date reported</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <location filename="../../desktop/ui/share_dialogs.py" line="-199"/>
        <source>导入案例包 — {name}</source>
        <translation>Import share bundle — {name}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>来自：{sender}</source>
        <translation>From: {sender}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>导出范围：{what}</source>
        <translation>Exported: {what}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>显示无变化的记录</source>
        <translation>Show unchanged records</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>全部冲突：</source>
        <translation>All conflicts:</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+88"/>
        <source>保留本机</source>
        <translation>Keep mine</translation>
    </message>
    <message>
        <location line="-87"/>
        <location line="+88"/>
        <source>采用对方</source>
        <translation>Take theirs</translation>
    </message>
    <message>
        <location line="-87"/>
        <location line="+88"/>
        <source>两者都保留</source>
        <translation>Keep both</translation>
    </message>
    <message>
        <location line="-79"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>来源单位</source>
        <translation>Origin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>对方修改</source>
        <translation>Changed there</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本机修改</source>
        <translation>Changed here</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>处理</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>导入预览</source>
        <translation>Import preview</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>无变化</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>案例</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>试点</source>
        <translation>Pilot</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>探索事项</source>
        <translation>Experiment</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{outcome}（{note}）</source>
        <translation>{outcome} ({note})</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>如何处理“{title}”</source>
        <translation>What to do with “{title}”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>请选择…</source>
        <translation>Choose…</translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>还有 %n 条冲突未决定：请选择保留本机、采用对方或两者都保留。</source>
        <translation>
            <numerusform>%n conflict is not decided yet: choose keep mine, take theirs or keep both.</numerusform>
            <numerusform>%n conflicts are not decided yet: choose keep mine, take theirs or keep both.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>案例包中的内容本库都已有，无需导入。</source>
        <translation>This library already has everything in the bundle; nothing to import.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="+584"/>
        <location filename="../../desktop/app.py" line="+64"/>
        <source>试点案例库</source>
        <translation>Pilot Casebook</translation>
    </message>
    <message>
        <location line="-438"/>
        <source>准备案例库</source>
        <translation>Preparing the library</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>{file}（{folder}）— 试点案例库</source>
        <extracomment>A new search reads the rest of its list once its first rows are painted (this long after they arrived), or after ``WHOLE_LIST_AFTER_MS`` at the latest. Case fields the navigation counts depend on. Vocabulary whose names show in case rows and are searched: a rename reaches every row.</extracomment>
        <translation>{file} ({folder}) — Pilot Casebook</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>正在准备案例库…</source>
        <translation>Preparing the library…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>输入任意字词检索（Ctrl+F），多个词用空格分隔，须同时命中</source>
        <translation>Type any words to search (Ctrl+F); separate several words with spaces — all must match</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+137"/>
        <location line="+366"/>
        <location line="+8"/>
        <source>检索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location line="-510"/>
        <source>筛选</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>显示筛选条件</source>
        <translation>Show the filters</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+550"/>
        <source>存为智能分类</source>
        <translation>Save as smart category</translation>
    </message>
    <message>
        <location line="-546"/>
        <source>检索结果数</source>
        <translation>Number of results</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>案例列表</source>
        <translation>Case list</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>停止正在进行的检索或统计</source>
        <translation>Stop the search or count in progress</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+641"/>
        <source>新建案例</source>
        <translation>New case</translation>
    </message>
    <message>
        <location line="-640"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批量编辑…</source>
        <translation>Edit in bulk…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>编排简报…</source>
        <translation>Compose a brief…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+707"/>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location line="-706"/>
        <location line="+707"/>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location line="-704"/>
        <source>督办</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新建试点</source>
        <translation>New pilot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>设置…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>编辑标题</source>
        <translation>Edit title</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>导入…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel 案例模板…</source>
        <translation>Excel case template…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关于试点案例库…</source>
        <translation>About Pilot Casebook…</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>案例包或 Excel 案例模板 (*.casebook *.xlsx);;案例包 (*.casebook);;Excel 案例模板 (*.xlsx)</source>
        <translation>Share bundles or Excel case templates (*.casebook *.xlsx);;Share bundles (*.casebook);;Excel case templates (*.xlsx)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>检查案例包</source>
        <translation>Checking the bundle</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正在检查案例包…</source>
        <translation>Checking the share bundle…</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+3"/>
        <source>导入案例包</source>
        <translation>Import share bundle</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>案例包 (*.casebook)</source>
        <translation>Share bundles (*.casebook)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+83"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location line="-82"/>
        <source>Word 文档 (*.docx)</source>
        <translation>Word documents (*.docx)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+34"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message numerus="yes">
        <location line="-19"/>
        <source>选中的 %n 个案例</source>
        <translation>
            <numerusform>the %n selected case</numerusform>
            <numerusform>the %n selected cases</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>当前列表的 %n 个案例</source>
        <translation>
            <numerusform>the %n case of the current list</numerusform>
            <numerusform>the %n cases of the current list</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部案例</source>
        <translation>all cases</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已导出台账 {path}：{n} 个案例</source>
        <translation>Ledger exported to {path}: {n} cases</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已导出 Word 文档 {path}：{n} 个案例</source>
        <translation>Word document exported to {path}: {n} cases</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>记录导出</source>
        <translation>Recording the export</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>案例导入模板.xlsx</source>
        <translation>case-template.xlsx</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+9"/>
        <source>Excel 案例模板</source>
        <translation>Excel case template</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已写出模板：{path}
填好后用“文件 → 导入…”导入。</source>
        <translation>Template written: {path}
Fill it in, then import it with File → Import….</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>写出模板</source>
        <translation>Writing the template</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>正在写出模板…</source>
        <translation>Writing the template…</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>当前案例的修改未能保存：{reason}
仍要关闭吗？未保存的修改将丢失。</source>
        <translation>The changes to the current case could not be saved: {reason}
Close anyway? The unsaved changes will be lost.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>有内容未通过校验，无法保存。仍要关闭吗？未保存的修改将丢失。</source>
        <translation>Some entries did not pass validation and cannot be saved. Close anyway? Unsaved changes will be lost.</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>名称：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>保存智能分类</source>
        <translation>Saving the smart category</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>统计</source>
        <translation>Counting</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>当前案例的修改尚未保存，保存后才能打开其他案例</source>
        <translation>The changes to the current case are not saved yet; another case opens once they are</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>查找案例</source>
        <translation>Finding the case</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>新案例</source>
        <translation>New case</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>删除案例</source>
        <translation>Delete cases</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+8"/>
        <source>批量编辑</source>
        <translation>Edit in bulk</translation>
    </message>
    <message numerus="yes">
        <location line="-3"/>
        <source>已修改 %n 个案例</source>
        <translation>
            <numerusform>Changed %n case</numerusform>
            <numerusform>Changed %n cases</numerusform>
        </translation>
    </message>
    <message>
        <location line="+23"/>
        <source>撤销 {step}</source>
        <translation>Undo {step}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重做 {step}</source>
        <translation>Redo {step}</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message numerus="yes">
        <location line="-401"/>
        <location line="+13"/>
        <source>共 %n 个案例</source>
        <translation>
            <numerusform>%n case</numerusform>
            <numerusform>%n cases</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NavigationPane</name>
    <message>
        <location filename="../../desktop/ui/navigation.py" line="+30"/>
        <source>{name}（{count}）</source>
        <translation>{name} ({count})</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>导航</source>
        <translation>Navigation</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>只看山区海岛县</source>
        <translation>Mountain and island counties only</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>山区海岛县认定日期</source>
        <translation>Mountain and island county designation date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按此日期的山区海岛县名单筛选地区</source>
        <translation>Filter places by the list of mountain and island counties in force on this date</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>全部案例</source>
        <translation>All cases</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>督办（逾期与临近到期）</source>
        <translation>Follow-up (overdue and due soon)</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>主题</source>
        <translation>Themes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>地区</source>
        <translation>Places</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>试点</source>
        <translation>Pilots</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>模式类型</source>
        <translation>Model types</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>标签</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>智能分类</source>
        <translation>Smart categories</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>审核状态</source>
        <translation>Review status</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>回收站</source>
        <translation>Trash</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>方案条目</source>
        <translation>Parts of the plan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>按《实施方案》的部分和条目排列</source>
        <translation>Arranged by the parts and items of the Implementation Plan</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>一、总体要求（不设主题）</source>
        <translation>I. General requirements (no themes)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>方案第一部分是总体要求，只讲目标与原则，不部署具体工作，因此不设主题。</source>
        <translation>Part I of the plan sets out general requirements: aims and principles, no specific work, so it has no themes.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>交叉分组（贯穿各条目）</source>
        <translation>Cross-cutting groups (across the parts)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>与方案各条目交叉：一个案例可以既属于某一条目，又属于这里的分组</source>
        <translation>Cut across the plan&apos;s parts: a case can belong to an item of the plan and to a group here</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <location filename="../../desktop/ui/operations.py" line="+213"/>
        <source>取消</source>
        <extracomment>How often the change log is read for other writers&apos; changes.</extracomment>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>试点案例库</source>
        <translation>Pilot Casebook</translation>
    </message>
    <message>
        <location line="+38"/>
        <location line="+21"/>
        <source>读取更改</source>
        <translation>Reading changes</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>仍要重做吗？</source>
        <translation>Redo anyway?</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>仍要撤销吗？</source>
        <translation>Undo anyway?</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>已重做：{step}</source>
        <translation>Redone: {step}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已撤销：{step}</source>
        <translation>Undone: {step}</translation>
    </message>
</context>
<context>
    <name>OptionalDateEdit</name>
    <message>
        <location filename="../../desktop/ui/widgets.py" line="+24"/>
        <source>未填</source>
        <extracomment>The red of validation messages and invalid fields.</extracomment>
        <translation>Not set</translation>
    </message>
</context>
<context>
    <name>PhotoList</name>
    <message>
        <location filename="../../desktop/ui/case_editor.py" line="+228"/>
        <source>把图片文件拖到这里，或点“添加照片…”</source>
        <translation>Drag image files here, or click “Add photos…”</translation>
    </message>
</context>
<context>
    <name>PilotEditor</name>
    <message>
        <location filename="../../desktop/ui/pilot_editor.py" line="+191"/>
        <source>读取试点</source>
        <extracomment>Quiet time after the last edit before it is saved. The stored state each shown record was loaded or last saved as (the base of a merge).</extracomment>
        <translation>Loading the pilot</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>保存状态</source>
        <translation>Save status</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>来源</source>
        <translation>Origin</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+870"/>
        <source>试点</source>
        <translation>Pilot</translation>
    </message>
    <message>
        <location line="-868"/>
        <location line="+55"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="-53"/>
        <location line="+54"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="-53"/>
        <location line="+28"/>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>如：2025年第一批</source>
        <translation>e.g. 2025, first batch</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+52"/>
        <source>牵头单位</source>
        <translation>Lead unit</translation>
    </message>
    <message>
        <location line="-50"/>
        <location line="+51"/>
        <source>地区</source>
        <translation>Places</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>添加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加地区</source>
        <translation>Add places</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>移除所选地区</source>
        <translation>Remove the selected places</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>开始日期</source>
        <translation>Start date</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>结束日期</source>
        <translation>End date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清除开始日期</source>
        <translation>Clear the start date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清除结束日期</source>
        <translation>Clear the end date</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+10"/>
        <location line="+72"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="-81"/>
        <location line="+35"/>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>起止日期</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+21"/>
        <location line="+18"/>
        <location line="+765"/>
        <source>探索事项</source>
        <translation>Experiments</translation>
    </message>
    <message>
        <location line="-801"/>
        <source>探索事项列表</source>
        <translation>List of experiments</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>新增</source>
        <translation>Add</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新增探索事项</source>
        <translation>Add an experiment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+535"/>
        <source>删除探索事项</source>
        <translation>Delete the experiment</translation>
    </message>
    <message>
        <location line="-534"/>
        <source>移到回收站，可从回收站恢复</source>
        <translation>Moves it to the trash, from where it can be restored</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>事项状态</source>
        <translation>Experiment status</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+9"/>
        <location line="+49"/>
        <source>责任单位</source>
        <translation>Responsible unit</translation>
    </message>
    <message>
        <location line="-57"/>
        <location line="+21"/>
        <source>目标</source>
        <translation>Objective</translation>
    </message>
    <message>
        <location line="-20"/>
        <location line="+21"/>
        <source>举措</source>
        <translation>Measures</translation>
    </message>
    <message>
        <location line="-20"/>
        <location line="+21"/>
        <source>压力测试发现</source>
        <translation>Stress-test findings</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>探索事项内容</source>
        <translation>Experiment details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>目标与举措</source>
        <translation>Objective and measures</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+31"/>
        <source>时间节点</source>
        <translation>Milestones</translation>
    </message>
    <message>
        <location line="-30"/>
        <location line="+56"/>
        <source>进展情况</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>先填写试点名称，保存后即可添加探索事项。</source>
        <translation>Enter the pilot&apos;s name first; once it is saved you can add experiments.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>内容</source>
        <translation>Milestone</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+478"/>
        <source>到期日</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="-478"/>
        <location line="+480"/>
        <source>完成日</source>
        <translation>Date completed</translation>
    </message>
    <message>
        <location line="-480"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>添加节点</source>
        <translation>Add milestone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加时间节点</source>
        <translation>Add a milestone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>删除节点</source>
        <translation>Delete milestone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>删除所选时间节点</source>
        <translation>Delete the selected milestones</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>逾期未完成的节点以红色显示。完成日留空表示尚未完成。</source>
        <translation>Overdue milestones are shown in red. Leave the completion date empty while a milestone is open.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>进展</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>记录人</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>记一条进展</source>
        <translation>Note progress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加今天的进展</source>
        <translation>Add a progress note for today</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>删除进展</source>
        <translation>Delete note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>删除所选进展</source>
        <translation>Delete the selected progress notes</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>全域综合试点</source>
        <translation>Comprehensive pilot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>专项试点</source>
        <translation>Special pilot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>筹备中</source>
        <translation>In preparation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>实施中</source>
        <translation>Under way</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已验收</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已终止</source>
        <translation>Ended</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>未启动</source>
        <translation>Not started</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location line="+111"/>
        <location line="+176"/>
        <source>（未命名）</source>
        <translation>(untitled)</translation>
    </message>
    <message>
        <location line="-145"/>
        <source>来源：{origin}</source>
        <translation>Origin: {origin}</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+120"/>
        <source>正在编辑…</source>
        <translation>Editing…</translation>
    </message>
    <message>
        <location line="-84"/>
        <source>编辑试点</source>
        <translation>Edit pilot</translation>
    </message>
    <message>
        <location line="+219"/>
        <source>编辑探索事项</source>
        <translation>Edit experiment</translation>
    </message>
    <message>
        <location line="-188"/>
        <location line="+176"/>
        <location line="+57"/>
        <source>有错误，未保存</source>
        <translation>Not saved: please correct the errors</translation>
    </message>
    <message>
        <location line="-215"/>
        <source>选择试点地区</source>
        <translation>Choose the pilot&apos;s places</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>新探索事项</source>
        <translation>New experiment</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>节点第 {n} 行</source>
        <translation>Milestone row {n}</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>进展第 {n} 条</source>
        <translation>Progress note {n}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>请填写有效日期，如 2025-06-30</source>
        <translation>Enter a valid date, e.g. 2025-06-30</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>探索事项“{t}”未保存：{m}</source>
        <translation>Experiment “{t}” was not saved: {m}</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>已逾期，尚未完成</source>
        <translation>Overdue and not yet completed</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>此{what}已被{who}于 {time} 修改，你的修改尚未保存。</source>
        <translation>This {what} was changed by {who} at {time}; your changes are not saved yet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>其他用户</source>
        <translation>another user</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>修改冲突，请决定后保存</source>
        <translation>Conflicting changes: decide, then save</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>已改为对方保存的内容</source>
        <translation>Now showing what the other side saved</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>已自动保存 {t}</source>
        <translation>Saved automatically at {t}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
</context>
<context>
    <name>ProblemModel</name>
    <message>
        <location filename="../../desktop/ui/workbook_dialog.py" line="+57"/>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
</context>
<context>
    <name>RegionPickerDialog</name>
    <message>
        <location filename="../../desktop/ui/region_picker.py" line="+49"/>
        <source>选择地区</source>
        <translation>Choose places</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>展开市、县逐级查找；可按住 Ctrl 选择多个地区。</source>
        <translation>Expand cities and counties to find a place; hold Ctrl to choose several.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>展开市、县逐级查找。</source>
        <translation>Expand cities and counties to find a place.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>地区树</source>
        <translation>Place tree</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>新地区名称</source>
        <translation>Name of the new place</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>输入新乡镇(街道)或村(社区)名称</source>
        <translation>Name of a new township (subdistrict) or village (community)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添加下级地区</source>
        <translation>Add a place below</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>读取地区</source>
        <translation>Loading places</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{name}（{level}）</source>
        <translation>{name} ({level})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>省</source>
        <translation>province</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>市</source>
        <translation>city</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>县(市、区)</source>
        <translation>county (city, district)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>乡镇(街道)</source>
        <translation>township (subdistrict)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>村(社区)</source>
        <translation>village (community)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>新增乡镇或村：先在上面选中一个县(市、区)或乡镇(街道)。</source>
        <translation>To add a township or village, first choose a county (city, district) or township (subdistrict) above.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>在“{place}”下新增{level}：</source>
        <translation>Add a {level} under “{place}”:</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>添加地区</source>
        <translation>Adding a place</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="+68"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如：淳安县农业农村局</source>
        <translation>e.g. Chun&apos;an County Bureau of Agriculture and Rural Affairs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>您新建或修改的记录上会注明此姓名和单位。</source>
        <translation>Records you create or change are marked with this name and unit.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>修改人</source>
        <translation>Editor</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>姓名(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>单位(&amp;U)</source>
        <translation>&amp;Unit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>简报默认编印单位</source>
        <translation>Default compiling unit of briefs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>简报</source>
        <translation>Briefs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>默认编印单位(&amp;B)</source>
        <translation>Default &amp;compiling unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>可为各字体角色选用 .ttf/.ttc 字体；留空则用本机公文字体，没有则用开源字体。</source>
        <translation>Choose a .ttf/.ttc face for any role; empty uses the office fonts of this computer, else the open fonts.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正文（仿宋）</source>
        <translation>Body (FangSong)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>一级标题（黑体）</source>
        <translation>Headings (Hei)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>二级标题与编者按（楷体）</source>
        <translation>Sub-headings and editor&apos;s note (Kai)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>标题与报头（小标宋）</source>
        <translation>Title and masthead (XiaoBiaoSong)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>页码（宋体）</source>
        <translation>Page numbers (Song)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>自动</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+67"/>
        <source>选择字体文件</source>
        <translation>Choose a font file</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>重启后生效</source>
        <translation>Takes effect after a restart</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>界面语言重启后生效</source>
        <translation>The interface language takes effect after a restart</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> 磅</source>
        <translation> pt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>字号</source>
        <translation>Font size</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>界面</source>
        <translation>Interface</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>界面语言(&amp;L)</source>
        <translation>Interface &amp;language</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>字号(&amp;S)</source>
        <translation>Font &amp;size</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>TrueType 字体 (*.ttf *.ttc *.TTF *.TTC)</source>
        <translation>TrueType fonts (*.ttf *.ttc *.TTF *.TTC)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>现用：{face}</source>
        <translation>In use: {face}</translation>
    </message>
</context>
<context>
    <name>TrashModel</name>
    <message>
        <location filename="../../desktop/ui/trash_view.py" line="+33"/>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>删除时间</source>
        <translation>Deleted on</translation>
    </message>
</context>
<context>
    <name>TrashView</name>
    <message>
        <location line="+35"/>
        <location line="+26"/>
        <source>回收站</source>
        <translation>Trash</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>恢复所选</source>
        <translation>Restore selected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清空回收站…</source>
        <translation>Empty trash…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>删除的记录先放在这里，可以恢复；清空后才真正删除。</source>
        <translation>Deleted records are kept here and can be restored; they are gone for good only when the trash is emptied.</translation>
    </message>
    <message numerus="yes">
        <location line="+25"/>
        <source>回收站中有 %n 条记录</source>
        <translation>
            <numerusform>%n record in the trash</numerusform>
            <numerusform>%n records in the trash</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>恢复</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+9"/>
        <source>清空回收站</source>
        <translation>Empty trash</translation>
    </message>
    <message numerus="yes">
        <location line="-7"/>
        <source>回收站中的 %n 条记录将被永久删除，无法恢复；之前的操作也不能再撤销。确定清空吗？</source>
        <translation>
            <numerusform>The %n record in the trash will be deleted for good and cannot be brought back; earlier steps can no longer be undone either. Empty the trash?</numerusform>
            <numerusform>The %n records in the trash will be deleted for good and cannot be brought back; earlier steps can no longer be undone either. Empty the trash?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="+59"/>
        <source>欢迎使用试点案例库</source>
        <translation>Welcome to Pilot Casebook</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>请填写您的姓名和单位。您新建或修改的案例、试点上会注明修改人；单位也是简报默认的编印单位。以后可在“设置”中修改。</source>
        <translation>Please give your name and unit. Cases and pilots you add or change will name you as their editor; the unit is also the default compiling unit of briefs. You can change both later in Settings.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如：张三</source>
        <translation>e.g. Zhang San</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如：淳安县农业农村局</source>
        <translation>e.g. Chun&apos;an County Bureau of Agriculture and Rural Affairs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>姓名(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>单位(&amp;U)</source>
        <translation>&amp;Unit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>开始使用</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>以后再说</source>
        <translation>Later</translation>
    </message>
</context>
<context>
    <name>WorkbookImportDialog</name>
    <message>
        <location filename="../../desktop/ui/workbook_dialog.py" line="+62"/>
        <source>导入 Excel 案例</source>
        <translation>Import cases from Excel</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>文件：{name}</source>
        <translation>File: {name}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>问题清单</source>
        <translation>Problems</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>复制问题清单</source>
        <translation>Copy the problems</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>复制为表格文字，可粘贴到 Excel 或回复邮件中</source>
        <translation>Copy as tab-separated text, to paste into Excel or a reply</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>仅导入有效行…</source>
        <translation>Import the valid rows only…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+83"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="-58"/>
        <source>正在检查 {name}</source>
        <translation>Checking {name}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>正在检查，请稍候…</source>
        <translation>Checking, please wait…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>模板中没有填写任何案例。</source>
        <translation>The template holds no cases.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>共 {total} 行案例，检查通过，可以导入。</source>
        <translation>{total} case rows, all valid: ready to import.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>共 {total} 行案例：{valid} 行可以导入，{bad} 行有问题（共 {n} 处，见下表）。请在 Excel 中改正后重新导入；也可以只导入有效行，有问题的行不导入。</source>
        <translation>{total} case rows: {valid} can be imported, {bad} have problems ({n} in all, listed below). Correct them in Excel and import again, or import only the valid rows and leave out the others.</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+7"/>
        <source>仅导入有效行</source>
        <translation>Import the valid rows only</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>将导入 {valid} 行有效案例，跳过 {bad} 行有问题的行（这些行不会导入）。确定吗？</source>
        <translation>{valid} valid rows will be imported and {bad} rows with problems left out. Go ahead?</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>正在导入 {name}</source>
        <translation>Importing {name}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>正在导入，请稍候…</source>
        <translation>Importing, please wait…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>出现意外错误，未导入任何案例。</source>
        <translation>An unexpected error occurred; no case was imported.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>已复制 {n} 处问题到剪贴板。</source>
        <translation>{n} problems copied to the clipboard.</translation>
    </message>
</context>
</TS>
