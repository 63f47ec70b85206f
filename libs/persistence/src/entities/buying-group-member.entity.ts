import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { BuyingGroupEntity } from './buying-group.entity';
import { ContactEntity } from './contact.entity';

@Entity({ name: 'buying_group_members' })
@Index('ix_buying_group_members_contact', ['workspaceId', 'contactId'])
export class BuyingGroupMemberEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryColumn('uuid')
  buyingGroupId!: string;

  @PrimaryColumn('uuid')
  contactId!: string;

  @Column('varchar', { length: 30 })
  role!: string;

  @Column('timestamptz', { default: () => 'now()' })
  addedAt!: Date;

  @ManyToOne(() => BuyingGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'buying_group_id', referencedColumnName: 'id' },
  ])
  buyingGroup?: Relation<BuyingGroupEntity>;

  @ManyToOne(() => ContactEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'contact_id', referencedColumnName: 'id' },
  ])
  contact?: Relation<ContactEntity>;
}
