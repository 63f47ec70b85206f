import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { AccountEntity } from './account.entity';

@Entity({ name: 'buying_groups' })
@Index('uq_buying_groups_name', ['workspaceId', 'accountId', 'name'], { unique: true })
export class BuyingGroupEntity {
  @PrimaryColumn('uuid')
  workspaceId!: string;

  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  accountId!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('text', { array: true, default: () => "'{}'" })
  requiredRoles!: string[];

  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'workspace_id', referencedColumnName: 'workspaceId' },
    { name: 'account_id', referencedColumnName: 'id' },
  ])
  account?: Relation<AccountEntity>;
}
